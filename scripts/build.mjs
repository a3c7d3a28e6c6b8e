// Builds what `npm start` runs: the chat page (packages/web, with Vite, into packages/web/dist,
// which the gateway serves at /) and the CLI (server, mock, bench) bundled into one ESM file so
// that plain Node runs it. Workspace packages (TypeScript source) go into the bundle; npm
// dependencies stay external. Any failure exits non-zero, so `npm start` stops loudly.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { buildClientBundle } from "./build-client.mjs";
import { buildWebPage } from "./build-web.mjs";

const require = createRequire(import.meta.url);

/** JSON a dependency ships is inlined: plain Node would need an import attribute for it. */
const inlineJson = {
  name: "inline-json",
  setup(context) {
    context.onResolve({ filter: /\.json$/ }, (args) =>
      args.path.startsWith(".") ? undefined : { path: require.resolve(args.path) },
    );
  },
};

const external = new Set();
for (const name of readdirSync("packages")) {
  const manifest = JSON.parse(readFileSync(`packages/${name}/package.json`, "utf8"));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (!dependency.startsWith("@sluice/")) external.add(dependency);
  }
}

await build({
  entryPoints: ["packages/cli/src/main.ts"],
  outfile: "dist/sluice.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: [...external].flatMap((name) => [name, `${name}/*`]),
  plugins: [inlineJson],
  sourcemap: true,
  logLevel: "warning",
});

await buildClientBundle();

try {
  await buildWebPage();
} catch (error) {
  process.stderr.write(`\nThe web page (packages/web) did not build: ${error.message}\n`);
  process.exit(1);
}
