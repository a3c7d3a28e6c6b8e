import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../../../tests/support/chromium.js";
import { htmlReport } from "./html-report.js";
import { syntheticReport, syntheticRun } from "./synthetic-run.js";

// The e2e suite's one definition of which browser, with which flags.
const executablePath = chromiumPath;

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
  /** How far the page is wider than a phone's screen (px); 0 when it fits. */
  phoneOverflow: number;
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
    args: chromiumArgs,
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
    await page.setViewportSize({ width: 390, height: 844 });
    const phoneOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    return { charts, headline, text, requests, errors, phoneOverflow };
  } finally {
    await context.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

describe("htmlReport in Chromium", () => {
  it("draws every chart of a single run, with a headline, and loads nothing from the network", async (t) => {
    const page = await render(
      t,
      htmlReport(syntheticReport([syntheticRun("sluice", 0, 4242)], false)),
    );
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
    assert.equal(page.phoneOverflow, 0, "the report fits a phone's width");
  });

  it("overlays two targets and leads with the difference", async (t) => {
    const runs = [0, 1, 2].flatMap((round) => [
      syntheticRun("direct", round * 0.5, null),
      syntheticRun("sluice", 1.5 + round * 0.5, 4242),
    ]);
    const page = await render(t, htmlReport(syntheticReport(runs, true)));
    if (!page) return;
    assert.match(page.headline, /sluice adds \+1\.50 ms to time to first token at p50/);
    const histograms = page.charts.filter((chart) => chart.kind === "histogram");
    assert.equal(histograms.length, 2);
    assert.ok(histograms.every((chart) => chart.bars > 6));
    assert.ok(
      page.charts.filter((chart) => chart.kind === "line").every((chart) => chart.lineLength > 100),
    );
    assert.match(page.text, /direct vs sluice/);
    assert.equal(page.phoneOverflow, 0, "the report fits a phone's width");
    assert.doesNotMatch(page.text, /NaN|undefined/);
  });

  it("escapes labels, so a target's name cannot inject markup", () => {
    const html = htmlReport(
      syntheticReport([syntheticRun("<script>alert(1)</script>", 0, null)], false),
    );
    assert.ok(!html.includes("<script>alert(1)"));
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  });
});
