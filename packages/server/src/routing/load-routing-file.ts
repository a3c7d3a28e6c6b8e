import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { RoutingFile } from "./routing-file.js";
import type { ModelAlias, ProviderInstance, RoutingSettings } from "./routing-settings.js";

type Path = readonly PropertyKey[];

/**
 * Reads and checks the `SLUICE_CONFIG` file at `path` (YAML; JSON is YAML). `providers` lists
 * the provider names that exist without the file (`demo`, and `openai`/`anthropic` when their
 * keys are set). Throws an `Error` whose message names the file, line and column and the key
 * at fault: for a file that does not parse, a value the schema refuses, a target naming no
 * provider or alias, a cycle of aliases, or an `api_key_env` variable that is unset.
 */
export function loadRoutingFile(
  path: string,
  environment: NodeJS.ProcessEnv,
  providers: readonly string[],
): RoutingSettings {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`SLUICE_CONFIG ${path} cannot be read: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    const what = syntax.message.split("\n")[0] ?? syntax.code;
    throw new Error(`SLUICE_CONFIG ${path}:${line}:${col}: ${what}`);
  }
  const fail = (at: Path, message: string): never => {
    const { line, col } = lines.linePos(offsetOf(document.contents, at));
    throw new Error(`SLUICE_CONFIG ${path}:${line}:${col}: ${keyOf(at)}: ${message}`);
  };
  const parsed = RoutingFile.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const at =
      issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
    return fail(at, issue.code === "unrecognized_keys" ? "unknown key" : issue.message);
  }
  const file = parsed.data;

  const instances: ProviderInstance[] = Object.entries(file.providers).map(([name, entry]) => {
    const apiKey = environment[entry.api_key_env]?.trim();
    if (!apiKey) {
      fail(
        ["providers", name, "api_key_env"],
        `the environment variable ${entry.api_key_env} is not set`,
      );
    }
    return { name, type: entry.type, apiKey: apiKey ?? "", baseURL: entry.base_url };
  });
  const known = new Set([...providers, ...instances.map((instance) => instance.name)]);

  const expanded = new Map<string, string[]>();
  const expand = (alias: string, trail: string[]): string[] => {
    const done = expanded.get(alias);
    if (done) return done;
    const targets: string[] = [];
    file.models[alias]?.targets.forEach((target, index) => {
      const at = ["models", alias, "targets", index];
      const slash = target.indexOf("/");
      if (slash === -1) {
        if (!(target in file.models)) {
          fail(at, `"${target}" names no alias; a model target is provider/model`);
        }
        if (trail.includes(target)) {
          fail(at, `the aliases form a cycle: ${[...trail, target].join(" → ")}`);
        }
        targets.push(...expand(target, [...trail, target]));
      } else if (!known.has(target.slice(0, slash)) || slash === target.length - 1) {
        fail(at, `"${target}" names no configured provider (configured: ${[...known].join(", ")})`);
      } else targets.push(target);
    });
    const unique = [...new Set(targets)];
    expanded.set(alias, unique);
    return unique;
  };
  const aliases: ModelAlias[] = Object.entries(file.models).map(([name, entry]) => ({
    name,
    targets: expand(name, [name]),
    strategy: entry.strategy,
    continueOnFailure: entry.continue_on_failure,
    failureThreshold: entry.failure_threshold,
    cooldownMs: entry.cooldown_ms,
  }));
  return { file: path, providers: instances, aliases };
}

function keyOf(path: Path): string {
  return path.map(String).join(".") || "(top level)";
}

/** Where `path` is in the document: its key for a map entry, else its value; else the nearest parent. */
function offsetOf(root: unknown, path: Path): number {
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
