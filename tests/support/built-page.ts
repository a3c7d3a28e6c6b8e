import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWebPage } from "../../scripts/build-web.mjs";

/** What the built page is made of: the page's sources and the client's. */
const sourceRoots = ["packages/web/src", "packages/web/public", "packages/client/src"];
const sourceFiles = ["packages/web/index.html", "packages/web/vite.config.ts"];
const stampPath = "packages/web/dist/.sources";
/** One lock per checkout, outside it, so that nothing is left in the work tree. */
const lockPath = join(
  tmpdir(),
  `sluice-web-build-${createHash("sha256").update(process.cwd()).digest("hex").slice(0, 12)}.lock`,
);
/** A lock older than this was left by a run that died while building. */
const staleLockMs = 120_000;

function sourcesDigest(): string {
  const hash = createHash("sha256");
  const files = [
    ...sourceFiles,
    ...sourceRoots.flatMap((root) =>
      readdirSync(root, { recursive: true }).map((file) => join(root, String(file))),
    ),
  ].sort();
  for (const file of files) {
    if (statSync(file).isFile()) hash.update(file).update(readFileSync(file));
  }
  return hash.digest("hex");
}

function builtDigest(): string | undefined {
  try {
    return readFileSync(stampPath, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Builds the chat page unless packages/web/dist already holds a build of the current sources.
 * Test files run side by side: the first takes a lock and builds, the others wait for the lock
 * and then find the build current, so no file's gateway sees dist emptied under it.
 */
export async function ensureBuiltPage(): Promise<void> {
  const digest = sourcesDigest();
  const deadline = Date.now() + 2 * staleLockMs;
  for (;;) {
    if (builtDigest() === digest) return;
    try {
      mkdirSync(lockPath);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lockPath} was never released`);
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > staleLockMs) rmdirSync(lockPath);
      } catch {
        // Released meanwhile: the next round takes it.
      }
      // Waiting on another process's build: there is no event to wait on across processes.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (builtDigest() !== digest) {
      await buildWebPage();
      writeFileSync(stampPath, digest);
    }
  } finally {
    rmdirSync(lockPath);
  }
}
