// Builds the chat page (packages/web) with Vite into packages/web/dist, which the gateway
// serves at /. Run by scripts/build.mjs, and on its own (`node scripts/build-web.mjs`) by the
// page's browser tests, which need nothing else built.
import { fileURLToPath } from "node:url";
import { build } from "vite";

/** Where the built page goes; the gateway's web routes serve it from there. */
export const webRoot = fileURLToPath(new URL("../packages/web/", import.meta.url));

/** Builds the page; rejects with Vite's error (a type error in the page, a missing import, ...). */
export async function buildWebPage() {
  await build({ root: webRoot, logLevel: "warn" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWebPage();
