// Bundles the CLI (server, mock, bench) into one ESM file so `npm start` runs plain Node.
// Workspace packages (TypeScript source) go into the bundle; npm dependencies stay external.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { buildClientBundle } from "./build-client.mjs";

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
