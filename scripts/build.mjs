// Bundles the CLI (server, mock, bench) into one ESM file so `npm start` runs plain Node.
// Workspace packages (TypeScript source) go into the bundle; npm dependencies stay external.
import { readdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";

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
  sourcemap: true,
  logLevel: "warning",
});
