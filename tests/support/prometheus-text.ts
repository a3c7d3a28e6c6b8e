import parsePrometheusTextFormat from "parse-prometheus-text-format";

/** One family of `/metrics`, as parse-prometheus-text-format gives it (prom2json's shape). */
export interface MetricFamily {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

/** The metric families of a `/metrics` body. */
export function parseMetrics(text: string): Map<string, MetricFamily> {
  const families = parsePrometheusTextFormat(text) as MetricFamily[];
  return new Map(families.map((family) => [family.name, family]));
}

/** The sum of a counter's or gauge's samples whose labels include `labels` (0 when none). */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let total = 0;
  for (const metric of families.get(name)?.metrics ?? []) {
    if (Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value)) {
      total += Number(metric.value ?? 0);
    }
  }
  return total;
}

/**
 * A histogram's observation count: its `+Inf` bucket (the parser keeps buckets, but not count
 * and sum, of labelled histograms; the tests read histograms with one label set).
 */
export function observations(families: Map<string, MetricFamily>, name: string): number {
  return Number(families.get(name)?.metrics[0]?.buckets?.["+Inf"] ?? 0);
}
