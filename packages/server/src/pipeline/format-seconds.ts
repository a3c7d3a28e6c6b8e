/**
 * A duration as users read it: `0.5s`, `2s`, `1.2s` below ten seconds (never `0s`), whole
 * seconds from ten on (`30s`).
 */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds >= 10) return `${Math.round(seconds)}s`;
  return `${Math.max(0.1, Number(seconds.toFixed(1)))}s`;
}
