// Node 20's test runner takes no globs, so the test files are listed here.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "tests"];
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((file) => join(root, String(file))))
  .filter((file) => /\.test\.tsx?$/.test(file) && !file.includes("node_modules"))
  .filter(
    (file) => process.argv.length <= 2 || process.argv.slice(2).some((arg) => file.includes(arg)),
  )
  .sort();

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", ...files],
  { stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
