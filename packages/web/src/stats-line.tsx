import type { ChatStats } from "@sluice/client";

const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const tenths = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** An answer's figures, as the `done` event gave them: time to first token, tokens, seconds, tokens per second. */
export function StatsLine({ stats, model }: { stats: ChatStats; model: string | undefined }) {
  const parts = [
    `TTFT ${stats.ttftMs === null ? "–" : `${whole.format(stats.ttftMs)} ms`}`,
    `${whole.format(stats.tokens)} tokens`,
    `${tenths.format(stats.seconds)} s`,
    `${tenths.format(stats.tokensPerSecond)} tok/s`,
  ];
  return (
    <p className="stats" data-testid="stats">
      {parts.join(" · ")}
      {model ? ` · ${model}` : ""}
    </p>
  );
}
