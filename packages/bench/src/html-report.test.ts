import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { chromium } from "playwright-core";
import type { BenchReport } from "./bench-report.js";
import { BenchScenario } from "./bench-scenario.js";
import { compareRuns } from "./compare-runs.js";
import { htmlReport } from "./html-report.js";
import { machineInfo } from "./machine-info.js";
import { RunCollector } from "./run-collector.js";
import type { RunSummary } from "./run-summary.js";

const executablePath = "/usr/bin/chromium";
const launchArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A run of 400 requests over about 4 s, with a slower tail, shaped like a real one. */
function syntheticRun(label: string, extraMs: number, pid: number | null): RunSummary {
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

function report(runs: RunSummary[], compare: boolean): BenchReport {
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

/** What the browser drew: per chart, its kind and the size of what it plotted. */
interface DrawnChart {
  kind: string;
  bars: number;
  barArea: number;
  lineLength: number;
  width: number;
  barFill: string | null;
}

async function render(
  t: TestContext,
  html: string,
): Promise<{
  charts: DrawnChart[];
  headline: string;
  text: string;
  requests: string[];
  errors: string[];
} | null> {
  if (!existsSync(executablePath)) {
    // On CI a missing browser is a broken environment, not a reason to pass.
    if (process.env.CI === "true")
      assert.fail(`${executablePath} is missing: the report cannot be checked`);
    t.skip(`${executablePath} is missing`);
    return null;
  }
  const directory = mkdtempSync(join(tmpdir(), "sluice-report-"));
  const file = join(directory, "report.html");
  writeFileSync(file, html);
  // A persistent context on a fresh directory: a clean profile, removed afterwards.
  const context = await chromium.launchPersistentContext(join(directory, "profile"), {
    executablePath,
    args: launchArgs,
    headless: true,
  });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`file://${file}`);
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => {
        const bars = [...svg.querySelectorAll<SVGRectElement>("rect.bar")];
        const lines = [...svg.querySelectorAll<SVGPathElement>("path.line")];
        return {
          kind: svg.getAttribute("data-kind") ?? "",
          bars: bars.length,
          barArea: bars.reduce((sum, bar) => sum + bar.getBBox().width * bar.getBBox().height, 0),
          lineLength: lines.reduce((sum, line) => sum + line.getTotalLength(), 0),
          width: svg.getBoundingClientRect().width,
          barFill: bars[0] ? getComputedStyle(bars[0]).fill : null,
        };
      }),
    );
    const headline = (await page.textContent("h1")) ?? "";
    const text = (await page.textContent("body")) ?? "";
    return { charts, headline, text, requests, errors };
  } finally {
    await context.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

describe("htmlReport in Chromium", () => {
  it("draws every chart of a single run, with a headline, and loads nothing from the network", async (t) => {
    const page = await render(t, htmlReport(report([syntheticRun("sluice", 0, 4242)], false)));
    if (!page) return;
    const histograms = page.charts.filter((chart) => chart.kind === "histogram");
    const lines = page.charts.filter((chart) => chart.kind === "line");
    assert.equal(histograms.length, 2, "TTFT and ITL histograms");
    assert.equal(lines.length, 5, "TTFT and ITL over time, in flight, throughput, RSS");
    for (const chart of histograms) {
      assert.ok(chart.bars > 3 && chart.barArea > 500, `histogram drew ${chart.bars} bars`);
      assert.ok(chart.barFill && chart.barFill !== "none" && chart.barFill !== "rgb(0, 0, 0)");
    }
    for (const chart of lines)
      assert.ok(chart.lineLength > 100, `a line chart drew ${chart.lineLength}px`);
    for (const chart of page.charts) assert.ok(chart.width > 300, "charts fill their column");
    assert.match(page.headline, /380 streams: TTFT .* at p50/);
    assert.doesNotMatch(page.text, /NaN|undefined|Infinity/);
    assert.match(page.text, /\(last token − first token\) \/ \(tokens − 1\)/);
    assert.deepEqual(
      page.requests.filter((url) => !url.startsWith("file://")),
      [],
    );
    assert.deepEqual(page.errors, []);
  });

  it("overlays two targets and leads with the difference", async (t) => {
    const runs = [0, 1, 2].flatMap((round) => [
      syntheticRun("direct", round * 0.5, null),
      syntheticRun("sluice", 1.5 + round * 0.5, 4242),
    ]);
    const page = await render(t, htmlReport(report(runs, true)));
    if (!page) return;
    assert.match(page.headline, /sluice adds \+1\.50 ms to time to first token at p50/);
    const histograms = page.charts.filter((chart) => chart.kind === "histogram");
    assert.equal(histograms.length, 2);
    assert.ok(histograms.every((chart) => chart.bars > 6));
    assert.ok(
      page.charts.filter((chart) => chart.kind === "line").every((chart) => chart.lineLength > 100),
    );
    assert.match(page.text, /direct vs sluice/);
    assert.doesNotMatch(page.text, /NaN|undefined/);
  });

  it("escapes labels, so a target's name cannot inject markup", () => {
    const html = htmlReport(report([syntheticRun("<script>alert(1)</script>", 0, null)], false));
    assert.ok(!html.includes("<script>alert(1)"));
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  });
});
