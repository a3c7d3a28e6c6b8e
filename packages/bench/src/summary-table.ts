import { formatBytes, formatCount, formatMs, formatPercent } from "./format-figures.js";
import { metricFormulas } from "./metric-formulas.js";
import type { RunSummary } from "./run-summary.js";

const latencyRows = [
  ["TTFT", "ttft"],
  ["ITL", "itl"],
  ["TPOT", "tpot"],
  ["E2E", "e2e"],
  ["gap", "gap"],
] as const;
const columns = ["p50", "p90", "p95", "p99", "p999", "mean", "max"] as const;

function pad(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

function line(label: string, text: string, formula: string): string {
  return `${label.padEnd(14)}${text}\n${" ".repeat(14)}└ ${formula}`;
}

function correctnessLine(summary: RunSummary): string {
  const correctness = summary.correctness;
  const failures = Object.entries(correctness.failures)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(" · ");
  const checked =
    correctness.checked > 0
      ? `${formatCount(correctness.passed)}/${formatCount(correctness.checked)} texts intact · ${failures}`
      : "no text checked (not a mock model)";
  const resumes =
    correctness.resumedRequests > 0
      ? ` · ${formatCount(correctness.resumes)} resumes, ${correctness.resumedIntact}/${correctness.resumedRequests} resumed streams intact`
      : "";
  const cuts =
    correctness.cutConnections > 0
      ? ` · ${formatCount(correctness.cutConnections)} connections cut by the fault proxy`
      : "";
  return `${checked} · ${correctness.terminalMissing} without a terminal event · ${correctness.eventsAfterTerminal} events after the terminal one${cuts}${resumes}`;
}

/** The end-of-run table for a terminal: latency percentiles, throughput, checks, each with its formula. */
export function summaryTable(summary: RunSummary): string {
  const out: string[] = [];
  const target = summary.target;
  out.push(`${target.label}: ${target.format} ${target.url}  model ${target.model}`);
  out.push(
    `${formatCount(summary.requests.measured)} requests in ${summary.measuredSeconds.toFixed(2)} s (+${summary.requests.warmup} warm-up)\n`,
  );
  out.push(
    `${"".padEnd(8)}${columns.map((column) => pad(column === "p999" ? "p99.9" : column, 9)).join("")}`,
  );
  for (const [label, key] of latencyRows) {
    const latency = summary.latency[key];
    const cells = columns.map((column) => pad(formatMs(latency[column]), 9)).join("");
    out.push(`${label.padEnd(8)}${cells}   ${metricFormulas[key]}`);
  }
  out.push("");
  const throughput = summary.throughput;
  const requests = summary.requests;
  out.push(
    line(
      "requests",
      `${formatCount(throughput.requestsPerSecond)}/s · ${formatCount(requests.succeeded)} ok · ${formatCount(requests.failed)} failed (${formatPercent(summary.errorRate)}) · ${formatCount(requests.aborted)} aborted on purpose`,
      `${metricFormulas.requestsPerSecond}; error rate = ${metricFormulas.errorRate}`,
    ),
  );
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) {
    out.push(
      `${"errors".padEnd(14)}${errors.map(([type, count]) => `${type} ${count}`).join(" · ")}`,
    );
    for (const { type, detail } of summary.firstErrors) {
      out.push(
        `${"".padEnd(14)}first ${type}: ${detail.replace(/\s+/g, " ").trim() || "(no body)"}`,
      );
    }
  }
  out.push(
    line(
      "tokens",
      `${formatCount(throughput.tokensPerSecond)}/s · ${formatCount(throughput.tokens)} tokens · ${formatBytes(throughput.bytesPerSecond)}/s`,
      metricFormulas.tokensPerSecond,
    ),
  );
  if (summary.goodput) {
    const goodput = summary.goodput;
    out.push(
      line(
        "goodput",
        `${formatCount(goodput.requestsPerSecond)}/s · ${formatCount(goodput.good)} good (${formatPercent(goodput.fraction)}) under ${goodput.slo}`,
        metricFormulas.goodput,
      ),
    );
  }
  out.push(line("correctness", correctnessLine(summary), metricFormulas.correctness));
  if (summary.cancellation) {
    const cancellation = summary.cancellation;
    out.push(
      line(
        "cancellation",
        `${cancellation.reachedUpstream}/${cancellation.aborted} client aborts reached the mock (waited ${(cancellation.waitedMs / 1000).toFixed(1)} s)${summary.correctness.cutConnections > 0 ? "; the mock also counts the connections the proxy cut" : ""}`,
        metricFormulas.cancellation,
      ),
    );
  }
  if (summary.server) {
    const server = summary.server;
    out.push(
      line(
        "server",
        `pid ${server.pid} · RSS ${formatBytes(server.baselineRssBytes)} → peak ${formatBytes(server.peakRssBytes)} (${formatBytes(server.rssPerOpenStreamBytes)} per open stream)${server.settledRssBytes == null ? "" : ` → ${formatBytes(server.settledRssBytes)} after settling`} · CPU ${server.cpuSeconds.toFixed(2)} s (${server.cpuPercent.toFixed(0)} % of a core) · ${server.cpuSecondsPerMillionTokens?.toFixed(1) ?? "–"} CPU s per million tokens`,
        `${metricFormulas.rssPerStream}; ${metricFormulas.cpuPerMillionTokens}`,
      ),
    );
  }
  const client = summary.client;
  const warning =
    client.cpuPercent > 90
      ? "  ⚠ the load generator was CPU-bound: figures may be the client's"
      : "";
  out.push(
    `${"client".padEnd(14)}CPU ${client.cpuPercent.toFixed(0)} % of a core · ${client.peakInFlight} in flight at most${warning}`,
  );
  return `${out.join("\n")}\n`;
}
