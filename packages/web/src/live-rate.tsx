import type { ChatSnapshot } from "@sluice/client";

const width = 96;
const height = 20;
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
/** Samples averaged per point: the rate per render (every ~50 ms) jitters with token timing. */
const smoothing = 5;

/** Each sample averaged with up to `smoothing - 1` before it. */
function smooth(samples: number[]): number[] {
  let sum = 0;
  return samples.map((sample, index) => {
    sum += sample - (index >= smoothing ? (samples[index - smoothing] ?? 0) : 0);
    return sum / Math.min(index + 1, smoothing);
  });
}

/**
 * While an answer streams: its tokens per second so far, and a sparkline of the rate at each
 * render (the client's `live.rateHistory`, smoothed), drawn as one SVG polyline.
 */
export function LiveRate({ live }: { live: ChatSnapshot["live"] }) {
  const history = smooth(live.rateHistory);
  const highest = Math.max(1, ...history);
  const step = history.length > 1 ? width / (history.length - 1) : 0;
  const points = history
    .map(
      (rate, index) =>
        `${(index * step).toFixed(1)},${(height - (rate / highest) * (height - 2) - 1).toFixed(1)}`,
    )
    .join(" ");
  return (
    <p className="live-rate" data-testid="live-rate">
      <span>{whole.format(live.tokensPerSecond)} tok/s</span>
      <svg
        className="sparkline"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        aria-hidden="true"
        focusable="false"
      >
        {history.length > 1 && <polyline points={points} fill="none" strokeWidth="1.5" />}
      </svg>
      <span className="muted"> · {whole.format(live.tokens)} tokens</span>
    </p>
  );
}
