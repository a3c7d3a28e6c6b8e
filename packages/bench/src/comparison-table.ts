import type { Comparison } from "./compare-runs.js";
import { formatFigure, formatPercent } from "./format-figures.js";

/** The end-of-comparison table: medians of both targets, and the median paired difference. */
export function comparisonTable(comparison: Comparison): string {
  const [labelA, labelB] = comparison.labels;
  const deltaWidth = Math.max(16, labelA.length + labelB.length + 6);
  const header = [
    "".padEnd(20),
    labelA.padStart(13),
    labelB.padStart(13),
    `${labelB} − ${labelA}`.padStart(deltaWidth),
    "relative".padStart(10),
    "   range of the difference over rounds",
  ].join("");
  const rows = comparison.rows.map((row) =>
    [
      row.label.padEnd(20),
      formatFigure(row.a, row.unit).padStart(13),
      formatFigure(row.b, row.unit).padStart(13),
      formatFigure(row.delta, row.unit, true).padStart(deltaWidth),
      (row.relative === null
        ? "–"
        : `${row.relative >= 0 ? "+" : "−"}${formatPercent(Math.abs(row.relative))}`
      ).padStart(10),
      `   ${formatFigure(row.deltaMin, row.unit, true)} … ${formatFigure(row.deltaMax, row.unit, true)}`,
    ].join(""),
  );
  return [
    `${labelA} vs ${labelB}: medians of ${comparison.rounds} alternating rounds; the difference is the median of the per-round differences`,
    header,
    ...rows,
    "",
  ].join("\n");
}
