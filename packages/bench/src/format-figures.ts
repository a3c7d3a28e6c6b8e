/** Milliseconds with sensible precision: `0.42 ms`, `12.3 ms`, `1.24 s`; `–` for null. */
export function formatMs(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Milliseconds for an axis tick: no trailing zeros (`0 ms`, `2.5 ms`, `1.5 s`). */
export function formatTickMs(value: number): string {
  return value >= 1000
    ? `${Number((value / 1000).toPrecision(3))} s`
    : `${Number(value.toPrecision(3))} ms`;
}

/** Bytes in binary units: `512 B`, `3.4 KiB`, `81.2 MiB`. */
export function formatBytes(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  const units = ["B", "KiB", "MiB", "GiB"];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? scaled.toFixed(0) : scaled.toFixed(1)} ${units[unit]}`;
}

/** A count with thousands separators: `12,345`; rates keep one decimal below 100. */
export function formatCount(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  const digits = Math.abs(value) < 100 && !Number.isInteger(value) ? 1 : 0;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A fraction as a percentage without trailing zeros: `0.0123` → `1.23 %`, `0.05` → `5 %`. */
export function formatPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "–";
  const percent = fraction * 100;
  return `${Number(percent.toFixed(percent >= 10 ? 1 : 2))} %`;
}

/** A figure in its unit (see `FigureUnit`); `signed` prefixes + or − for differences. */
export function formatFigure(
  value: number | null,
  unit: "ms" | "perSecond" | "bytes" | "fraction" | "cpuSeconds",
  signed = false,
): string {
  if (value === null || !Number.isFinite(value)) return "–";
  const sign = signed ? (value > 0 ? "+" : value < 0 ? "−" : "±") : value < 0 ? "−" : "";
  const magnitude = Math.abs(value);
  switch (unit) {
    case "ms":
      return `${sign}${formatMs(magnitude)}`;
    case "perSecond":
      return `${sign}${formatCount(magnitude)}/s`;
    case "bytes":
      return `${sign}${formatBytes(magnitude)}`;
    case "fraction":
      return `${sign}${formatPercent(magnitude)}`;
    case "cpuSeconds":
      return `${sign}${magnitude.toFixed(2)} s`;
  }
}
