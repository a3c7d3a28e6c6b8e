declare module "parse-prometheus-text-format" {
  /** Parses Prometheus's text exposition format into prom2json's shape. */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
