// Builds the client SDK (packages/client) as one ES module for pages with no build step: the
// gateway serves it at GET /sluice-client.js. Run by scripts/build.mjs, and on its own
// (`node scripts/build-client.mjs`) by the browser tests, which need nothing else built.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Where the bundle goes; the gateway's client routes read it from there. */
export const clientBundlePath = fileURLToPath(
  new URL("../packages/client/dist/sluice-client.js", import.meta.url),
);

/**
 * zod's namespace object re-exports every locale (about 260 kB minified) and so defeats tree
 * shaking; the client's messages are English, so only zod's `en` locale goes into the bundle.
 */
const englishOnlyZod = {
  name: "english-only-zod",
  setup(context) {
    context.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.resolveDir.includes("/node_modules/zod/")
        ? {
            path: fileURLToPath(new URL("../locales/en.js", `file://${args.resolveDir}/`)),
            namespace: "zod-en",
          }
        : undefined,
    );
    context.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: args.path.replace(/\/[^/]*$/, ""),
    }));
  },
};

/** Bundles `@sluice/client` with its dependencies (protocol, zod, eventsource-parser), minified. */
export async function buildClientBundle() {
  await build({
    entryPoints: [fileURLToPath(new URL("../packages/client/src/index.ts", import.meta.url))],
    outfile: clientBundlePath,
    bundle: true,
    platform: "browser",
    format: "esm",
    // Browsers of 2023 on: AbortSignal.any, ReadableStream, top-level await.
    target: ["es2022", "chrome116", "firefox124", "safari17.4"],
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    plugins: [englishOnlyZod],
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildClientBundle();
}
