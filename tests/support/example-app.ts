import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type PreviewServer, preview } from "vite";

/** Where the examples live. */
const examples = fileURLToPath(new URL("../../examples/", import.meta.url));

export interface ExampleApp {
  /** The page's origin, e.g. `http://127.0.0.1:5173`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds an example with Vite (its own `vite.config.ts`) into a temporary folder, with
 * `import.meta.env` values fixed at build time, and serves the build with `vite preview` on
 * `port` of 127.0.0.1, as `npm run build && npm run preview` in the example would.
 */
export async function serveExample(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<ExampleApp> {
  const root = join(examples, name);
  const outDir = await mkdtemp(join(tmpdir(), `sluice-${name}-`));
  const define = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [`import.meta.env.${key}`, JSON.stringify(value)]),
  );
  const shared = { root, logLevel: "silent" as const, build: { outDir, emptyOutDir: true } };
  let server: PreviewServer | undefined;
  try {
    await build({ ...shared, define });
    server = await preview({ ...shared, preview: { host: "127.0.0.1", port, strictPort: true } });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await running.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
