import { type Axis, chartFrame, niceAxis, plotFor } from "./chart-frame.js";
import { escapeHtml } from "./escape-html.js";
import { formatCount, formatMs, formatTickMs } from "./format-figures.js";
import type { HistogramBin } from "./latency-histogram.js";

/** One target's distribution in a histogram chart. */
export interface HistogramSeries {
  label: string;
  /** A CSS class naming the series' colour (`series-a`, `series-b`). */
  className: string;
  bins: HistogramBin[];
}

/**
 * A latency histogram as SVG: the share of requests in each bin (so that runs of different sizes
 * compare), the series overlaid on one millisecond axis; each bar has a tooltip.
 */
export function histogramChart(label: string, xTitle: string, series: HistogramSeries[]): string {
  const drawn = series.filter((entry) => entry.bins.length > 0);
  if (drawn.length === 0)
    return `<p class="empty">No ${escapeHtml(xTitle)} values were recorded.</p>`;
  const shares = drawn.map((entry) => {
    const total = entry.bins.reduce((sum, bin) => sum + bin.count, 0) || 1;
    return entry.bins.map((bin) => bin.count / total);
  });
  const low = Math.min(...drawn.map((entry) => entry.bins[0]?.from ?? 0));
  const high = Math.max(...drawn.map((entry) => entry.bins.at(-1)?.to ?? 1));
  const x: Axis = niceAxis(Math.max(0, low), high, xTitle, formatTickMs);
  const y: Axis = niceAxis(
    0,
    Math.max(...shares.flat()),
    "share of requests",
    (value) => `${formatCount(value * 100)} %`,
    4,
  );
  const plot = plotFor(x, y);
  const bars = drawn
    .map((entry, index) =>
      entry.bins
        .map((bin, binIndex) => {
          const share = shares[index]?.[binIndex] ?? 0;
          if (bin.count === 0) return "";
          const left = plot.x(bin.from);
          const width = Math.max(plot.x(bin.to) - left - 1, 1);
          const top = plot.y(share);
          const last = binIndex === entry.bins.length - 1;
          const range = last
            ? `≥ ${formatMs(bin.from)}`
            : `${formatMs(bin.from)}–${formatMs(bin.to)}`;
          const tip = `${entry.label}: ${range}: ${formatCount(bin.count)} (${(share * 100).toFixed(1)} %)`;
          return `<rect class="bar ${entry.className}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(plot.top + plot.height - top).toFixed(1)}"><title>${escapeHtml(tip)}</title></rect>`;
        })
        .join(""),
    )
    .join("");
  return chartFrame("histogram", label, x, y, bars);
}
