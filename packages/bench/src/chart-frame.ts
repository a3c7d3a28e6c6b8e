import { escapeHtml } from "./escape-html.js";

/** One axis of a chart: its domain, where its ticks go, and how they read. */
export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  title: string;
  format(value: number): string;
}

/** The plotting area inside a chart's margins, and the mapping of values onto it. */
export interface Plot {
  width: number;
  height: number;
  left: number;
  top: number;
  x(value: number): number;
  y(value: number): number;
}

const chartWidth = 560;
const chartHeight = 260;
const margin = { top: 14, right: 18, bottom: 42, left: 72 };

/** Round tick steps (1, 2 or 5 × 10ⁿ) so that about `count` ticks cover `[min, max]`. */
export function niceAxis(
  min: number,
  max: number,
  title: string,
  format: (value: number) => string,
  count = 5,
): Axis {
  const span = max > min ? max - min : Math.abs(max) || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((multiple) => multiple * power >= raw) ?? 10) * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let tick = first; tick < max + step * 0.999 && ticks.length < 50; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  if (ticks.length < 2) ticks.push(first + step);
  return { min: first, max: ticks.at(-1) ?? first + step, ticks, title, format };
}

/** Maps both axes onto the plotting area of a chart. */
export function plotFor(x: Axis, y: Axis): Plot {
  const width = chartWidth - margin.left - margin.right;
  const height = chartHeight - margin.top - margin.bottom;
  const xSpan = x.max - x.min || 1;
  const ySpan = y.max - y.min || 1;
  return {
    width,
    height,
    left: margin.left,
    top: margin.top,
    x: (value) => margin.left + ((value - x.min) / xSpan) * width,
    y: (value) => margin.top + height - ((value - y.min) / ySpan) * height,
  };
}

/** An SVG chart: grid, ticks and axis titles around `body` (drawn with {@link plotFor}). */
export function chartFrame(kind: string, label: string, x: Axis, y: Axis, body: string): string {
  const plot = plotFor(x, y);
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;
  const grid = y.ticks
    .map((tick) => {
      const at = plot.y(tick).toFixed(1);
      return `<line class="grid" x1="${plot.left}" x2="${right}" y1="${at}" y2="${at}"/><text class="tick" x="${plot.left - 8}" y="${at}" dy="0.32em" text-anchor="end">${escapeHtml(y.format(tick))}</text>`;
    })
    .join("");
  const xTicks = x.ticks
    .map((tick) => {
      const at = plot.x(tick).toFixed(1);
      return `<line class="axis" x1="${at}" x2="${at}" y1="${bottom}" y2="${bottom + 5}"/><text class="tick" x="${at}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(x.format(tick))}</text>`;
    })
    .join("");
  return (
    `<svg class="chart" data-kind="${kind}" viewBox="0 0 ${chartWidth} ${chartHeight}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>${grid}` +
    `<line class="axis" x1="${plot.left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>${xTicks}` +
    `<text class="axis-title" x="${plot.left + plot.width / 2}" y="${chartHeight - 4}" text-anchor="middle">${escapeHtml(x.title)}</text>` +
    `<text class="axis-title" transform="translate(12 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(y.title)}</text>` +
    `<g class="plot">${body}</g></svg>`
  );
}
