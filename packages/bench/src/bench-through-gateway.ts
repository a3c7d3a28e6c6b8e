import getPort from "get-port";
import type { BenchReport } from "./bench-report.js";
import type { BenchScenario } from "./bench-scenario.js";
import { runBench } from "./run-bench.js";
import type { BenchTarget, RunProgress } from "./run-target.js";
import { startService } from "./start-service.js";
import { streamFormat } from "./stream-format.js";

export interface GatewayBenchOptions {
  /** The CLI entry (`packages/cli/src/main.ts`), run with tsx. */
  cli: string;
  /** The mock the gateway and the direct target talk to. */
  mockUrl: URL;
  /** The CPU to pin the gateway to; null leaves it free. */
  cpu: number | null;
  onProgress?: (progress: RunProgress) => void;
  signal: AbortSignal;
}

/**
 * Starts a gateway pointed at the mock (`sluice serve`, the default configuration plus the
 * scenario's `suite.gatewayEnv`), runs the scenario against the targets it names (`direct`: the
 * mock's Chat Completions route; `sluice`: the gateway's native route), and stops the gateway.
 */
export async function benchThroughGateway(
  scenario: BenchScenario,
  options: GatewayBenchOptions,
): Promise<BenchReport> {
  const port = await getPort();
  const gatewayUrl = new URL(`http://127.0.0.1:${port}`);
  const gateway = await startService({
    args: ["--import", "tsx", options.cli, "serve"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      OPENAI_BASE_URL: `${options.mockUrl.origin}/v1`,
      OPENAI_API_KEY: "bench",
      ...scenario.suite.gatewayEnv,
    },
    readyUrl: new URL("/healthz", gatewayUrl),
    cpu: options.cpu,
    signal: options.signal,
  });
  try {
    const available: Record<"direct" | "sluice", BenchTarget> = {
      direct: {
        label: "direct",
        url: new URL("/v1/chat/completions", options.mockUrl),
        format: streamFormat("openai"),
        model: "mock",
        headers: {},
        pid: null,
      },
      sluice: {
        label: "sluice",
        url: new URL("/api/chat/stream", gatewayUrl),
        format: streamFormat("native"),
        model: "openai/mock",
        headers: {},
        pid: gateway.pid,
      },
    };
    const [first, second] = scenario.suite.targets.map((name) => available[name]) as [
      BenchTarget,
      BenchTarget?,
    ];
    return await runBench({
      scenario,
      targets: second ? [first, second] : [first],
      mockUrl: options.mockUrl,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } finally {
    await gateway.stop();
  }
}
