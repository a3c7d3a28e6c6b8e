import { parseArgs } from "node:util";
import { SluiceError } from "@sluice/protocol";
import type { BenchScenario } from "./bench-scenario.js";
import type { BenchTarget } from "./run-target.js";
import { scenarioFlagNames, scenarioFromFlags } from "./scenario-from-flags.js";
import { inferFormat, type StreamFormatName, streamFormat } from "./stream-format.js";

const targetFlags = ["target", "format", "model", "label", "pid", "compare", "compare-format"];
const moreFlags = [
  "compare-model",
  "compare-label",
  "compare-pid",
  "mock-url",
  "html",
  "outcomes",
  "max-error-rate",
];
const suiteFlags = ["suite", "results", "write", "only", "cli"];

/** One load run, or two targets compared. */
export interface BenchArguments {
  kind: "run";
  scenario: BenchScenario;
  targets: [BenchTarget] | [BenchTarget, BenchTarget];
  mockUrl: URL | null;
  json: boolean;
  html: string | null;
  /** A file for every request's measurements, one JSON object a line. */
  outcomes: string | null;
  /** The exit code is 1 when a run's error rate is above this (0–1; default 0). */
  maxErrorRate: number;
  quiet: boolean;
}

/** The committed benchmark suite (`npm run bench`). */
export interface SuiteArguments {
  kind: "suite";
  scenariosDirectory: string;
  resultsDirectory: string;
  markdownFile: string | null;
  cliEntry: string;
  only: string[] | null;
  rounds: number | null;
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

function toFraction(text: string | undefined, flag: string): number {
  if (text === undefined) return 0;
  const value = Number(text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid(`--${flag}: "${text}" is not a fraction from 0 to 1 (or a percentage).`, flag);
  }
  return value;
}

function toPositive(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw invalid(`--${flag}: "${text}" is not a positive whole number.`, flag);
  return value;
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
  flags: { format?: string; model?: string; label?: string; pid: number | null },
  headers: Record<string, string>,
): BenchTarget {
  if (flags.format !== undefined && !["native", "openai", "plain", "ui"].includes(flags.format)) {
    throw invalid(`--format: "${flags.format}" is not native, openai, plain or ui.`, "format");
  }
  const format = streamFormat((flags.format as StreamFormatName | undefined) ?? inferFormat(url));
  return {
    label: flags.label ?? `${format.name}@${url.host}`,
    url,
    format,
    model: flags.model ?? format.defaultModel,
    headers,
    pid: flags.pid,
  };
}

/**
 * Reads `sluice bench`'s arguments: a run, the suite (`--suite`), or `"help"`; throws an
 * `invalid_request` SluiceError naming the bad argument.
 */
export function parseBenchArguments(argv: string[]): BenchArguments | SuiteArguments | "help" {
  const names = [...targetFlags, ...moreFlags, ...suiteFlags, ...scenarioFlagNames];
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
        header: { type: "string", multiple: true },
        json: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const text = (name: string) =>
    typeof values[name] === "string" ? (values[name] as string) : undefined;
  if (values.help) return "help";
  const suite = text("suite");
  if (suite) {
    return {
      kind: "suite",
      scenariosDirectory: suite,
      resultsDirectory: text("results") ?? "bench/results",
      markdownFile: text("write") ?? null,
      cliEntry: text("cli") ?? "packages/cli/src/main.ts",
      only:
        text("only")
          ?.split(",")
          .map((name) => name.trim()) ?? null,
      rounds: toPositive(text("rounds"), "rounds"),
      quiet: values.quiet === true,
    };
  }
  const targetText = text("target");
  if (!targetText) throw invalid("--target URL is required (see --help).", "target");
  const headers = headersOf((values.header as string[] | undefined) ?? []);
  const first = target(
    toUrl(targetText, "target"),
    {
      format: text("format"),
      model: text("model"),
      label: text("label"),
      pid: toPositive(text("pid"), "pid"),
    },
    headers,
  );
  const compareText = text("compare");
  const second = compareText
    ? target(
        toUrl(compareText, "compare"),
        {
          format: text("compare-format"),
          model: text("compare-model"),
          label: text("compare-label"),
          pid: toPositive(text("compare-pid"), "compare-pid"),
        },
        headers,
      )
    : null;
  if (second && second.label === first.label) {
    throw invalid("The two targets need different labels (--label, --compare-label).", "label");
  }
  const mockText = text("mock-url");
  return {
    kind: "run",
    scenario: scenarioFromFlags(values),
    targets: second ? [first, second] : [first],
    mockUrl: mockText ? toUrl(mockText, "mock-url") : null,
    json: values.json === true,
    html: text("html") ?? null,
    outcomes: text("outcomes") ?? null,
    maxErrorRate: toFraction(text("max-error-rate"), "max-error-rate"),
    quiet: values.quiet === true,
  };
}
