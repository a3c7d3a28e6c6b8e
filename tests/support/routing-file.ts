import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

/**
 * Writes `text` to a fresh `SLUICE_CONFIG` file and returns its path; the file goes when the
 * current suite ends.
 */
export function routingFile(text: string, name = "sluice.yaml"): string {
  const folder = mkdtempSync(join(tmpdir(), "sluice-config-"));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}
