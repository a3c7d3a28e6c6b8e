import { type Axis, chartFrame, niceAxis, plotFor } from "./chart-frame.js";
import { escapeHtml } from "./escape-html.js";

/** One line: points of (x, y); points with a null y are left out. */
export interface LineSeries {
  label: string;
  /** CSS classes for colour and dash (`series-b`, `dashed`). */
  className: string;
  points: [number, number | null][];
}

export interface LineChartOptions {
  label: string;
  xTitle: string;
  yTitle: string;
  formatX(value: number): string;
  formatY(value: number): string;
  /** An x range to shade (the warm-up). */
  shade?: [number, number] | null;
}

/** A chart of values over time as SVG paths; each point has a tooltip (an invisible dot). */
export function lineChart(options: LineChartOptions, series: LineSeries[]): string {
  const values = series.flatMap((entry) => entry.points);
  const ys = values.map(([, y]) => y).filter((y): y is number => y !== null);
  if (ys.length === 0)
    return `<p class="empty">No ${escapeHtml(options.yTitle)} values were recorded.</p>`;
  const xs = values.map(([x]) => x);
  const x: Axis = niceAxis(Math.min(...xs), Math.max(...xs), options.xTitle, options.formatX);
  const y: Axis = niceAxis(0, Math.max(...ys), options.yTitle, options.formatY, 4);
  const plot = plotFor(x, y);
  let body = "";
  if (options.shade) {
    const [from, to] = options.shade;
    const left = plot.x(Math.max(from, x.min));
    body += `<rect class="shade" x="${left.toFixed(1)}" y="${plot.top}" width="${Math.max(plot.x(Math.min(to, x.max)) - left, 0).toFixed(1)}" height="${plot.height}"><title>warm-up (not measured)</title></rect>`;
  }
  for (const entry of series) {
    let path = "";
    let pen = "M";
    let dots = "";
    for (const [pointX, pointY] of entry.points) {
      // A window with no value (no first token fell in it) is skipped, not drawn as a gap.
      if (pointY === null) continue;
      const cx = plot.x(pointX).toFixed(1);
      const cy = plot.y(pointY).toFixed(1);
      path += `${pen}${cx} ${cy}`;
      pen = "L";
      dots += `<circle class="dot" cx="${cx}" cy="${cy}" r="5"><title>${escapeHtml(`${entry.label} at ${options.formatX(pointX)}: ${options.formatY(pointY)}`)}</title></circle>`;
    }
    // A lone point would be an invisible path; a hair of length shows it as a round dot.
    if (path.indexOf("L") === -1 && path !== "") path += "h0.1";
    body += `<path class="line ${entry.className}" data-series="${escapeHtml(entry.label)}" d="${path}"/>${dots}`;
  }
  return chartFrame("line", options.label, x, y, body);
}
