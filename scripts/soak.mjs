// npm run soak: `sluice bench` against a gateway for SOAK_MINUTES (default 30) of mixed load
// (connections cut and resumed, clients that stop with DELETE, slow readers), reporting the
// gateway's RSS, heap and open handles after warm-up and at the end, and every text checked.
// Fails (exit 1) when a text was lost or garbled, or when RSS grew after warm-up.
// Not part of npm test: it runs for half an hour. SOAK_MINUTES=2 npm run soak for a short look.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import getPort from "get-port";
import parsePrometheusTextFormat from "parse-prometheus-text-format";

const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 20);
const warmupSeconds = Math.min(60, Math.max(10, Math.round(minutes * 6)));
// RSS may settle a little after warm-up (heap growth to its working size); more is a leak.
const allowedGrowth = Number(process.env.SOAK_RSS_SLACK ?? 0.1);
const cli = ["--import", "tsx", "packages/cli/src/main.ts"];

function start(args, environment = {}) {
  const child = spawn(process.execPath, [...cli, ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", ...environment },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text) => {
    output += text;
  });
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function untilUp(url) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** RSS, heap used and active handles of the gateway, from its own /metrics. */
async function sample(gatewayUrl) {
  const families = parsePrometheusTextFormat(await (await fetch(`${gatewayUrl}/metrics`)).text());
  const value = (name) =>
    Number(families.find((family) => family.name === name)?.metrics[0]?.value ?? Number.NaN);
  return {
    at: new Date().toISOString(),
    rssBytes: value("sluice_process_resident_memory_bytes"),
    heapUsedBytes: value("sluice_nodejs_heap_size_used_bytes"),
    activeHandles: value("sluice_nodejs_active_handles_total"),
    openStreams: value("sluice_open_stream_responses"),
  };
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

const mockPort = await getPort({ host: "127.0.0.1" });
const gatewayPort = await getPort({ host: "127.0.0.1" });
const mockUrl = `http://127.0.0.1:${mockPort}`;
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const mock = start(["mock", "--port", String(mockPort)]);
const gateway = start(["serve"], {
  PORT: String(gatewayPort),
  OPENAI_API_KEY: "soak",
  OPENAI_BASE_URL: `${mockUrl}/v1`,
  // Short retention, so that ended streams leave memory within the run.
  STREAM_TTL_MS: "30000",
  STREAM_GRACE_MS: "3000",
});
const stopAll = () => {
  gateway.child.kill("SIGTERM");
  mock.child.kill("SIGTERM");
};
process.once("SIGINT", stopAll);

try {
  await untilUp(`${mockUrl}/__stats`);
  await untilUp(`${gatewayUrl}/healthz`);
  const samples = [await sample(gatewayUrl)];
  const bench = start([
    "bench",
    "--target",
    `${gatewayUrl}/api/chat/stream`,
    "--mock-url",
    mockUrl,
    "--concurrency",
    String(concurrency),
    "--duration",
    `${minutes}m`,
    "--warmup",
    `${warmupSeconds}s`,
    "--tokens",
    "200",
    "--gap",
    "5ms",
    "--cut-every",
    "7",
    "--abort",
    "0.1",
    "--abort-with",
    "delete",
    "--slow",
    "0.1",
    "--slow-delay",
    "50ms",
    "--max-error-rate",
    "0.01",
    "--json",
    "--quiet",
  ]);
  // After warm-up, then every minute: the curve, not only its ends.
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000 + 5000));
  const afterWarmup = await sample(gatewayUrl);
  samples.push(afterWarmup);
  const ticker = setInterval(async () => samples.push(await sample(gatewayUrl)), 60_000);
  const benchExit = await bench.exited;
  clearInterval(ticker);
  // Let the retained streams expire (STREAM_TTL_MS) before the last reading.
  await new Promise((resolve) => setTimeout(resolve, 35_000));
  const end = await sample(gatewayUrl);
  samples.push(end);
  const report = JSON.parse(bench.output());
  const run = report.runs[0];
  const growth = (end.rssBytes - afterWarmup.rssBytes) / afterWarmup.rssBytes;
  const result = {
    minutes,
    concurrency,
    requests: run.requests,
    errors: run.errors,
    texts: { checked: run.correctness.checked, intact: run.correctness.passed },
    resumes: run.correctness.resumes,
    cancellations: run.cancellation,
    ttftMs: { p50: run.latency.ttft.p50, p99: run.latency.ttft.p99 },
    start: samples[0],
    afterWarmup,
    end,
    rssGrowthAfterWarmup: growth,
    samples,
  };
  writeFileSync("soak-result.json", `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    [
      `soak: ${minutes} min at ${concurrency} clients, bench exit ${benchExit}`,
      `requests: ${run.requests.measured} measured, ${run.requests.failed} failed, ${run.requests.aborted} stopped on purpose`,
      `texts checked: ${run.correctness.passed}/${run.correctness.checked} intact, ${run.correctness.resumes} resumes`,
      `RSS: start ${mib(samples[0].rssBytes)}, after warm-up ${mib(afterWarmup.rssBytes)}, end ${mib(end.rssBytes)} (${(growth * 100).toFixed(1)} %)`,
      `heap used: after warm-up ${mib(afterWarmup.heapUsedBytes)}, end ${mib(end.heapUsedBytes)}`,
      `open handles: after warm-up ${afterWarmup.activeHandles}, end ${end.activeHandles}; open streams at the end ${end.openStreams}`,
      "details in soak-result.json\n",
    ].join("\n"),
  );
  const failed = benchExit !== 0 || growth > allowedGrowth || end.openStreams !== 0;
  process.exitCode = failed ? 1 : 0;
} finally {
  stopAll();
  await Promise.all([gateway.exited, mock.exited]);
}
