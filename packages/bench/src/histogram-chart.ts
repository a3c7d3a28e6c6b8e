import { type Axis, chartFrame, niceAxis, plotFor } from "./chart-frame.js";
import { escapeHtml } from "./escape-html.js";
import { formatCount, formatMs, formatTickMs } from "./format-figures.js";
import { quantileBins } from "./quantile-bins.js";

/** One target's distribution in a histogram chart. */
export interface HistogramSeries {
  label: string;
  /** A CSS class naming the series' colour (`series-a`, `series-b`). */
  className: string;
  /** The quantile function: the value at each whole percentile, 0–100. */
  quantiles: number[];
}

const binCount = 40;

/**
 * A latency histogram as SVG: every series on the same bins, from the lowest minimum to the
 * highest p99 (the last bin holds the tail beyond), as the share of its requests, so that runs of
 * different sizes compare; each bar has a tooltip.
 */
export function histogramChart(label: string, xTitle: string, series: HistogramSeries[]): string {
  const drawn = series.filter((entry) => entry.quantiles.length > 1);
  if (drawn.length === 0)
    return `<p class="empty">No ${escapeHtml(xTitle)} values were recorded.</p>`;
  const low = Math.min(...drawn.map((entry) => entry.quantiles[0] as number));
  const high = Math.max(...drawn.map((entry) => entry.quantiles[99] as number));
  const x: Axis = niceAxis(Math.max(0, low), Math.max(high, low + 0.01), xTitle, formatTickMs);
  const binned = drawn.map((entry) => quantileBins(entry.quantiles, x.min, x.max, binCount));
  const y: Axis = niceAxis(
    0,
    Math.max(...binned.flat().map((bin) => bin.share)),
    "share of requests",
    (value) => `${formatCount(value * 100)} %`,
    4,
  );
  const plot = plotFor(x, y);
  // With two series, each takes half of every bin, side by side, so neither hides the other.
  const slot = 1 / drawn.length;
  const bars = drawn
    .map((entry, index) =>
      (binned[index] ?? [])
        .map((bin, binIndex) => {
          if (bin.share <= 0) return "";
          const binLeft = plot.x(bin.from);
          const binWidth = plot.x(bin.to) - binLeft;
          const left = binLeft + binWidth * slot * index;
          const width = Math.max(binWidth * slot - (drawn.length > 1 ? 0.5 : 1), 0.8);
          const top = plot.y(bin.share);
          const range =
            binIndex === binCount - 1
              ? `≥ ${formatMs(bin.from)}`
              : `${formatMs(bin.from)}–${formatMs(bin.to)}`;
          const tip = `${entry.label}: ${range}: ${(bin.share * 100).toFixed(1)} % of requests`;
          return `<rect class="bar ${entry.className}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(plot.top + plot.height - top).toFixed(1)}"><title>${escapeHtml(tip)}</title></rect>`;
        })
        .join(""),
    )
    .join("");
  return chartFrame("histogram", label, x, y, bars);
}
