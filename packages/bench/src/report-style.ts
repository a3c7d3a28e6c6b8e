/** The report's stylesheet: system fonts, tabular figures, light and dark schemes, print-friendly. */
export const reportStyle = `
:root {
  --ink: #0f172a; --muted: #64748b; --faint: #e2e8f0; --paper: #ffffff; --panel: #f8fafc;
  --a: #94a3b8; --b: #4f46e5; --good: #047857; --warn: #b45309; --bad: #b91c1c;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --ink: #e2e8f0; --muted: #94a3b8; --faint: #1e293b; --paper: #0b1120; --panel: #111827;
    --a: #64748b; --b: #818cf8; --good: #34d399; --warn: #fbbf24; --bad: #f87171; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  font-variant-numeric: tabular-nums; -webkit-font-smoothing: antialiased; }
main { max-width: 1180px; margin: 0 auto; padding: 48px 28px 72px; }
@media (max-width: 600px) { main { padding: 28px 14px 48px; } }
.eyebrow { margin: 0 0 10px; color: var(--muted); font-size: 13px; letter-spacing: .04em; text-transform: uppercase; }
h1 { margin: 0; font-size: clamp(26px, 3.4vw, 38px); line-height: 1.15; letter-spacing: -0.02em; font-weight: 700; }
h1::before { content: ""; display: inline-block; width: .5em; height: .5em; border-radius: 50%;
  margin-right: .45em; vertical-align: .12em; background: var(--tone); }
.good { --tone: var(--good); } .warn { --tone: var(--warn); } .bad { --tone: var(--bad); }
.detail { margin: 12px 0 0; color: var(--muted); font-size: 17px; }
h2 { margin: 52px 0 16px; font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-top: 32px; }
@media (max-width: 720px) { .tiles { grid-template-columns: repeat(2, 1fr); } }
.tile { background: var(--panel); border: 1px solid var(--faint); border-radius: 12px; padding: 14px 16px; }
.tile .value { font-size: 24px; font-weight: 650; letter-spacing: -0.02em; white-space: nowrap; }
.tile .label { color: var(--muted); font-size: 13px; }
.tile.bad .value { color: var(--bad); } .tile.good .value { color: var(--good); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(440px, 100%), 1fr)); gap: 20px; }
figure { margin: 0; background: var(--panel); border: 1px solid var(--faint); border-radius: 12px; padding: 16px 16px 10px; }
figcaption { font-weight: 600; margin-bottom: 2px; }
.formula { color: var(--muted); font-size: 12.5px; margin: 2px 0 8px; font-family: ui-monospace, "SF Mono", Menlo, monospace; }
.legend { display: flex; gap: 16px; font-size: 12.5px; color: var(--muted); margin: 0 0 4px; flex-wrap: wrap; }
.legend span::before { content: ""; display: inline-block; width: 14px; height: 3px; margin-right: 6px; vertical-align: middle; background: var(--swatch); }
.legend .dashed::before { background: repeating-linear-gradient(90deg, var(--swatch) 0 4px, transparent 4px 7px); }
.legend .series-a { --swatch: var(--a); } .legend .series-b { --swatch: var(--b); }
svg.chart { width: 100%; height: auto; display: block; overflow: visible; }
svg .grid { stroke: var(--faint); } svg .axis { stroke: var(--muted); }
svg .tick { fill: var(--muted); font-size: 11px; } svg .axis-title { fill: var(--muted); font-size: 11.5px; }
svg .bar.series-a { fill: var(--a); opacity: .75; } svg .bar.series-b { fill: var(--b); opacity: .8; }
svg .bar:hover { opacity: 1; }
svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .line.series-a { stroke: var(--a); } svg .line.series-b { stroke: var(--b); }
svg .line.dashed { stroke-dasharray: 5 4; stroke-width: 1.6; }
svg .dot { fill: var(--muted); opacity: 0; } svg .dot:hover { opacity: .9; }
svg .shade { fill: var(--muted); opacity: .08; }
.empty { color: var(--muted); font-style: italic; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { padding: 8px 10px; text-align: right; border-bottom: 1px solid var(--faint); white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { color: var(--muted); font-weight: 600; font-size: 12.5px; }
td.formula-cell { text-align: left; white-space: normal; color: var(--muted); font-size: 12.5px; font-family: ui-monospace, Menlo, monospace; }
td.better { color: var(--good); font-weight: 600; } td.worse { color: var(--bad); font-weight: 600; }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--faint); border-radius: 12px; padding: 6px 10px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 24px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
dl.formulas { display: grid; grid-template-columns: max-content 1fr; gap: 6px 24px; }
dl.formulas dd { margin: 0; min-width: 0; overflow-wrap: anywhere; font-family: ui-monospace, Menlo, monospace; font-size: 13px; }
@media (max-width: 600px) { dl.facts, dl.formulas { grid-template-columns: 1fr; gap: 2px 0; } dl.facts dd, dl.formulas dd { margin-bottom: 8px; } }
pre.error-body { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12.5px; }
footer { margin-top: 56px; color: var(--muted); font-size: 13px; }
@media print { main { padding: 0; } figure, .tile, .table-wrap { break-inside: avoid; } }
`;
