import getPort from "get-port";
import type { BenchReport } from "./bench-report.js";
import type { BenchScenario } from "./bench-scenario.js";
import { runBench } from "./run-bench.js";
import type { BenchTarget, RunProgress } from "./run-target.js";
import { type Service, startService } from "./start-service.js";
import { streamFormat } from "./stream-format.js";

export interface GatewayBenchOptions {
  /** The CLI entry (`packages/cli/src/main.ts`), run with tsx. */
  cli: string;
  /** The mock the gateway and the direct target talk to. */
  mockUrl: URL;
  /** The lesson's plain server (`bench/baselines/lesson-server.mjs`), the `baseline` target. */
  baselineScript: string;
  /** The CPU to pin the gateway (and the baseline) to; null leaves it free. */
  cpu: number | null;
  onProgress?: (progress: RunProgress) => void;
  signal: AbortSignal;
}

/** A target of the suite: the mock itself, Sluice's native or OpenAI route, or the lesson's server. */
export type SuiteTargetName = "direct" | "sluice" | "sluice-v1" | "baseline";

/**
 * Starts what the scenario's targets need: a gateway pointed at the mock (`sluice serve`, the
 * default configuration plus the scenario's `suite.gatewayEnv`; `suite.upstream` picks the
 * provider its targets ask for, `openai/mock` or `anthropic/mock`) for `sluice` (its native route)
 * and `sluice-v1` (its Chat Completions route), and the lesson's plain server
 * (`bench/baselines/lesson-server.mjs`) for `baseline`; runs the scenario against the targets in
 * alternation (`direct` is the mock's own Chat Completions route), and stops what it started.
 */
export async function benchThroughGateway(
  scenario: BenchScenario,
  options: GatewayBenchOptions,
): Promise<BenchReport> {
  const names = scenario.suite.targets;
  const upstreamEnv = {
    ...process.env,
    HOST: "127.0.0.1",
    OPENAI_BASE_URL: `${options.mockUrl.origin}/v1`,
    OPENAI_API_KEY: "bench",
  };
  const { upstream } = scenario.suite;
  const gatewayEnv =
    upstream === "anthropic"
      ? { ANTHROPIC_BASE_URL: options.mockUrl.origin, ANTHROPIC_API_KEY: "bench" }
      : {};
  const started: Service[] = [];
  const start = async (args: string[], env: NodeJS.ProcessEnv) => {
    const port = await getPort();
    const url = new URL(`http://127.0.0.1:${port}`);
    const service = await startService({
      args,
      env: { ...env, PORT: String(port) },
      readyUrl: new URL("/healthz", url),
      cpu: options.cpu,
      signal: options.signal,
    });
    started.push(service);
    return { url, pid: service.pid };
  };
  try {
    const gateway = names.some((name) => name.startsWith("sluice"))
      ? await start(["--import", "tsx", options.cli, "serve"], {
          ...upstreamEnv,
          ...gatewayEnv,
          ...scenario.suite.gatewayEnv,
        })
      : null;
    const baseline = names.includes("baseline")
      ? await start([options.baselineScript], upstreamEnv)
      : null;
    const target = (name: SuiteTargetName): BenchTarget => {
      switch (name) {
        case "direct":
          return {
            label: "direct",
            url: new URL("/v1/chat/completions", options.mockUrl),
            format: streamFormat("openai"),
            model: "mock",
            headers: {},
            pid: null,
          };
        case "sluice":
        case "sluice-v1": {
          const { url, pid } = gateway as { url: URL; pid: number };
          const native = name === "sluice";
          return {
            label: name,
            url: new URL(native ? "/api/chat/stream" : "/v1/chat/completions", url),
            format: streamFormat(native ? "native" : "openai"),
            model: `${upstream}/mock`,
            headers: {},
            pid,
          };
        }
        case "baseline": {
          const { url, pid } = baseline as { url: URL; pid: number };
          return {
            label: "baseline",
            url: new URL("/api/chat/stream", url),
            format: streamFormat("native"),
            model: "mock",
            headers: {},
            pid,
          };
        }
      }
    };
    const [first, ...rest] = names.map(target) as [BenchTarget, ...BenchTarget[]];
    return await runBench({
      scenario,
      targets: [first, ...rest],
      mockUrl: options.mockUrl,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } finally {
    for (const service of started) await service.stop();
  }
}
