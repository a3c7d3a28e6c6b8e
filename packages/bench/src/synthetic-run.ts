import type { BenchReport } from "./bench-report.js";
import { BenchScenario, type BenchScenarioInput } from "./bench-scenario.js";
import { compareRuns } from "./compare-runs.js";
import { machineInfo } from "./machine-info.js";
import { RunCollector } from "./run-collector.js";
import type { RunSummary } from "./run-summary.js";

// For tests: runs and reports shaped like real ones, without a network.

/**
 * A run of 400 requests over about 4 s, TTFT 20 ms + `extraMs` with a slower tail; with a
 * `pid`, server figures too.
 */
export function syntheticRun(label: string, extraMs: number, pid: number | null): RunSummary {
  const collector = new RunCollector({ ttft: 40 });
  for (let index = 0; index < 400; index += 1) {
    const ttft = 20 + extraMs + (index % 17) + (index % 97 === 0 ? 60 : 0);
    const gaps = Array.from({ length: 19 }, (_, gap) => 5 + ((index + gap) % 5) * 0.3);
    collector.record(
      {
        index,
        startedAt: index * 10,
        ttftMs: ttft,
        gapsMs: gaps,
        e2eMs: ttft + gaps.reduce((sum, gap) => sum + gap, 0),
        tokens: 20,
        bytes: 2400,
        terminal: "done",
        eventsAfterTerminal: 0,
        errorType: null,
        errorDetail: null,
        aborted: false,
        streamId: null,
        resumes: index % 50 === 0 ? 1 : 0,
        check: { ok: true, kind: "ok", at: null, span: null },
      },
      index < 20,
    );
  }
  for (let at = 0; at < 4200; at += 250) {
    collector.series.inFlight(at, 8 + (at % 3));
    if (pid !== null) collector.series.rss(at, 80e6 + at * 1000);
  }
  return {
    ...collector.figures(3.8),
    target: {
      label,
      url: "http://127.0.0.1:8787/api/chat/stream",
      format: "native",
      model: "openai/mock?tokens=20",
    },
    startedAt: new Date().toISOString(),
    cancellation: null,
    server:
      pid === null
        ? null
        : {
            pid,
            baselineRssBytes: 80e6,
            peakRssBytes: 84e6,
            rssPerOpenStreamBytes: 4e6 / 10,
            cpuSeconds: 1.2,
            cpuPercent: 31,
            cpuSecondsPerMillionTokens: 150,
          },
    client: { cpuSeconds: 1, cpuPercent: 25, peakInFlight: 10 },
  };
}

/** A report of these runs; with `compare`, the first two labels compared round by round. */
export function syntheticReport(
  runs: RunSummary[],
  compare: boolean,
  scenario: BenchScenarioInput = {},
): BenchReport {
  const labels = [...new Set(runs.map((run) => run.target.label))];
  return {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    scenario: BenchScenario.parse({
      name: "report test",
      concurrency: 10,
      requests: 380,
      warmup: 20,
      slo: "ttft:40ms",
      ...scenario,
    }),
    runs,
    comparison: compare
      ? compareRuns(
          runs.filter((run) => run.target.label === labels[0]),
          runs.filter((run) => run.target.label === labels[1]),
        )
      : null,
  };
}
