import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { RunSummary } from "./streams/run.js";

/**
 * The gateway's Prometheus metrics. Counted once per run and per request, never per token:
 * a run's tokens are added when it ends.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly streamsStarted = new Counter({
    name: "sluice_streams_started_total",
    help: "Generations started, by model.",
    labelNames: ["model"] as const,
    registers: [this.registry],
  });
  readonly streamsEnded = new Counter({
    name: "sluice_streams_ended_total",
    help: "Generations ended, by model and outcome (finish reason or error type).",
    labelNames: ["model", "outcome"] as const,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "sluice_completion_tokens_total",
    help: "Completion tokens streamed, by model.",
    labelNames: ["model"] as const,
    registers: [this.registry],
  });
  readonly timeToFirstToken = new Histogram({
    name: "sluice_time_to_first_token_seconds",
    help: "Time from the start of a generation to its first token, at the gateway.",
    labelNames: ["model"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: "sluice_http_requests_total",
    help: "HTTP requests, by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly activeStreams: Gauge;
  readonly openResponses: Gauge;

  constructor(sources: { activeRuns: () => number; openResponses: () => number }) {
    collectDefaultMetrics({ register: this.registry, prefix: "sluice_" });
    this.activeStreams = new Gauge({
      name: "sluice_active_generations",
      help: "Generations running in this process.",
      registers: [this.registry],
      collect() {
        this.set(sources.activeRuns());
      },
    });
    this.openResponses = new Gauge({
      name: "sluice_open_stream_responses",
      help: "Streaming HTTP responses open on this process.",
      registers: [this.registry],
      collect() {
        this.set(sources.openResponses());
      },
    });
  }

  runEnded(summary: RunSummary): void {
    const { finish, modelId } = summary;
    const outcome = finish.type === "done" ? finish.finish_reason : finish.error_type;
    this.streamsEnded.inc({ model: modelId, outcome });
    this.tokens.inc({ model: modelId }, summary.tokens);
    if (summary.ttftMs !== null) {
      this.timeToFirstToken.observe({ model: modelId }, summary.ttftMs / 1000);
    }
  }
}
