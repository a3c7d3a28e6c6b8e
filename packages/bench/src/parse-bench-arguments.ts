import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SluiceError } from "@sluice/protocol";
import { BenchScenario } from "./bench-scenario.js";
import type { BenchTarget } from "./run-target.js";
import { inferFormat, type StreamFormatName, streamFormat } from "./stream-format.js";

const stringOptions = [
  "target",
  "format",
  "model",
  "label",
  "pid",
  "header",
  "compare",
  "compare-format",
  "compare-model",
  "compare-label",
  "compare-pid",
  "rounds",
  "mock-url",
  "scenario",
  "concurrency",
  "rate",
  "requests",
  "duration",
  "warmup",
  "timeout",
  "seed",
  "tokens",
  "ttft",
  "gap",
  "knobs",
  "prompt",
  "cut-every",
  "cut-after",
  "abort",
  "abort-after",
  "abort-with",
  "cancel-wait",
  "slow",
  "slow-delay",
  "slo",
  "html",
] as const;

/** Flags that fill a scenario field, and whether the value is a number. */
const scenarioFlags: Record<string, { field: string; number: boolean }> = {
  concurrency: { field: "concurrency", number: true },
  rate: { field: "rate", number: true },
  requests: { field: "requests", number: true },
  duration: { field: "duration", number: false },
  timeout: { field: "timeout", number: false },
  seed: { field: "seed", number: true },
  tokens: { field: "tokens", number: true },
  ttft: { field: "ttft", number: false },
  gap: { field: "gap", number: false },
  knobs: { field: "knobs", number: false },
  prompt: { field: "prompt", number: false },
  "cut-every": { field: "cutEvery", number: true },
  "cut-after": { field: "cutAfter", number: true },
  abort: { field: "abort", number: true },
  "abort-after": { field: "abortAfter", number: true },
  "abort-with": { field: "abortWith", number: false },
  "cancel-wait": { field: "cancelWait", number: false },
  slow: { field: "slow", number: true },
  "slow-delay": { field: "slowDelay", number: false },
  slo: { field: "slo", number: false },
  rounds: { field: "rounds", number: true },
};

/** What the command line asks for. */
export interface BenchArguments {
  scenario: BenchScenario;
  targets: [BenchTarget] | [BenchTarget, BenchTarget];
  mockUrl: URL | null;
  json: boolean;
  html: string | null;
  quiet: boolean;
}

function invalid(message: string, param?: string): SluiceError {
  return new SluiceError("invalid_request", message, { param });
}

function toUrl(text: string, flag: string): URL {
  try {
    return new URL(text);
  } catch {
    throw invalid(`--${flag}: "${text}" is not a URL.`, flag);
  }
}

function toPid(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0)
    throw invalid(`--${flag}: "${text}" is not a process id.`, flag);
  return pid;
}

function headersOf(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const separator = line.indexOf(":");
    if (separator <= 0) throw invalid(`--header: "${line}" is not "name: value".`, "header");
    headers[line.slice(0, separator).trim().toLowerCase()] = line.slice(separator + 1).trim();
  }
  return headers;
}

function target(
  url: URL,
  format: string | undefined,
  model: string | undefined,
  label: string | undefined,
  pid: number | null,
  headers: Record<string, string>,
): BenchTarget {
  if (format !== undefined && !["native", "openai", "plain"].includes(format)) {
    throw invalid(`--format: "${format}" is not native, openai or plain.`, "format");
  }
  const resolved = streamFormat((format as StreamFormatName | undefined) ?? inferFormat(url));
  return {
    label: label ?? `${resolved.name}@${url.host}`,
    url,
    format: resolved,
    model: model ?? resolved.defaultModel,
    headers,
    pid,
  };
}

function scenarioOf(
  values: Record<string, string | boolean | string[] | undefined>,
): BenchScenario {
  const input: Record<string, unknown> = {};
  if (typeof values.scenario === "string") {
    try {
      Object.assign(input, JSON.parse(readFileSync(values.scenario, "utf8")));
    } catch (error) {
      throw invalid(
        `--scenario: cannot read ${values.scenario}: ${(error as Error).message}`,
        "scenario",
      );
    }
  }
  for (const [flag, { field, number }] of Object.entries(scenarioFlags)) {
    const value = values[flag];
    if (typeof value !== "string") continue;
    if (number && !Number.isFinite(Number(value)))
      throw invalid(`--${flag}: "${value}" is not a number.`, flag);
    input[field] = number ? Number(value) : value;
  }
  if (typeof values.warmup === "string")
    input.warmup = /^\d+$/.test(values.warmup) ? Number(values.warmup) : values.warmup;
  const parsed = BenchScenario.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "scenario"}: ${issue.message}`,
    );
    throw invalid(`Invalid scenario: ${issues.join("; ")}`);
  }
  if (parsed.data.concurrency !== undefined && parsed.data.rate !== undefined) {
    throw invalid("Give either a concurrency (closed loop) or a rate (open loop), not both.");
  }
  return parsed.data;
}

/**
 * Reads `sluice bench`'s arguments, or `"help"` for `--help`; throws an `invalid_request`
 * SluiceError naming the bad one.
 */
export function parseBenchArguments(argv: string[]): BenchArguments | "help" {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(
      stringOptions.map((name) => [name, { type: "string" as const, multiple: name === "header" }]),
    );
    parsed = parseArgs({
      args: argv,
      options: {
        ...options,
        json: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const text = (name: string) =>
    typeof values[name] === "string" ? (values[name] as string) : undefined;
  if (values.help) return "help";
  const targetText = text("target");
  if (!targetText) throw invalid("--target URL is required (see --help).", "target");
  const headers = headersOf((values.header as string[] | undefined) ?? []);
  const first = target(
    toUrl(targetText, "target"),
    text("format"),
    text("model"),
    text("label"),
    toPid(text("pid"), "pid"),
    headers,
  );
  const compareText = text("compare");
  const targets: BenchArguments["targets"] = compareText
    ? [
        first,
        target(
          toUrl(compareText, "compare"),
          text("compare-format"),
          text("compare-model"),
          text("compare-label"),
          toPid(text("compare-pid"), "compare-pid"),
          headers,
        ),
      ]
    : [first];
  if (targets[1] && targets[1].label === first.label)
    throw invalid("The two targets need different labels (--label, --compare-label).", "label");
  const mockText = text("mock-url");
  return {
    scenario: scenarioOf(values),
    targets,
    mockUrl: mockText ? toUrl(mockText, "mock-url") : null,
    json: values.json === true,
    html: text("html") ?? null,
    quiet: values.quiet === true,
  };
}
