import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { BoundedLabel } from "./bounded-label.js";
import type { RunSummary } from "./streams/run.js";

/**
 * The gateway's Prometheus metrics. Counted once per run and per request, never per token:
 * a run's tokens are added when it ends.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Model names come from clients: bounded so that invented names cannot grow the registry. */
  readonly #models = new BoundedLabel();
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
  readonly upstreamTimeToFirstToken = new Histogram({
    name: "sluice_upstream_time_to_first_token_seconds",
    help: "Time from sending the request that answered to the upstream's first token (the upstream's share of TTFT).",
    labelNames: ["provider"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly gatewayAddedTimeToFirstToken = new Histogram({
    name: "sluice_gateway_added_ttft_seconds",
    help: "Gateway TTFT minus the upstream's: what the gateway (and retries before the answering attempt) added before the first token.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly interTokenLatency = new Histogram({
    name: "sluice_inter_token_latency_seconds",
    help: "Per generation: (end − first token) / (tokens − 1); observed once when it ends.",
    labelNames: ["provider"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly readerAttaches = new Counter({
    name: "sluice_stream_readers_attached_total",
    help: "Readers attached to a stream: new (its creator), reconnect (from the first event again), resume (after Last-Event-ID or resume_from).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly heartbeats = new Counter({
    name: "sluice_heartbeats_sent_total",
    help: "`: ping` comments sent to quiet stream responses.",
    registers: [this.registry],
  });
  readonly readersCut = new Counter({
    name: "sluice_readers_cut_total",
    help: "Readers whose socket had not drained for READER_STALL_MS, cut (they can resume).",
    registers: [this.registry],
  });
  readonly limitRejections = new Counter({
    name: "sluice_limit_rejections_total",
    help: "Requests refused with 429 by a limit: requests_per_minute, concurrent_streams, tokens_per_minute.",
    labelNames: ["limit"] as const,
    registers: [this.registry],
  });
  readonly redisAppendLatency = new Histogram({
    name: "sluice_redis_append_seconds",
    help: "Round trip of one pipeline of appends to Redis (one per event-loop turn with appends).",
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly activeStreams: Gauge;
  readonly openResponses: Gauge;
  readonly bufferedBytes: Gauge;

  constructor(sources: {
    activeRuns: () => number;
    openResponses: () => number;
    bufferedBytes: () => number;
    /** Ended streams kept for resuming: their bytes and count (memory store). */
    retained?: () => { bytes: number; streams: number } | undefined;
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: "sluice_" });
    this.activeStreams = new Gauge({
      name: "sluice_active_generations",
      help: "Generations running in this process.",
      registers: [this.registry],
      collect() {
        this.set(sources.activeRuns());
      },
    });
    new Gauge({
      name: "sluice_retained_stream_bytes",
      help: "Bytes held by ended streams kept for resuming (bounded by STREAM_RETAIN_BYTES).",
      registers: [this.registry],
      collect() {
        this.set(sources.retained?.()?.bytes ?? 0);
      },
    });
    new Gauge({
      name: "sluice_retained_streams",
      help: "Ended streams kept for resuming.",
      registers: [this.registry],
      collect() {
        this.set(sources.retained?.()?.streams ?? 0);
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
    this.bufferedBytes = new Gauge({
      name: "sluice_reader_buffered_bytes",
      help: "Bytes written to stream responses that their clients have not read yet (slow readers), summed at scrape time.",
      registers: [this.registry],
      collect() {
        this.set(sources.bufferedBytes());
      },
    });
  }

  runStarted(modelId: string): void {
    this.streamsStarted.inc({ model: this.#models.of(modelId) });
  }

  runEnded(summary: RunSummary): void {
    const { finish } = summary;
    const modelId = this.#models.of(summary.modelId);
    const outcome = finish.type === "done" ? finish.finish_reason : finish.error_type;
    this.streamsEnded.inc({ model: modelId, outcome });
    this.tokens.inc({ model: modelId }, summary.tokens);
    if (summary.ttftMs !== null) {
      this.timeToFirstToken.observe({ model: modelId }, summary.ttftMs / 1000);
    }
    const { upstreamTtftMs, interTokenMs } = summary;
    if (summary.ttftMs !== null && upstreamTtftMs !== null) {
      this.upstreamTimeToFirstToken.observe({ provider: summary.provider }, upstreamTtftMs / 1000);
      const added = Math.max(0, summary.ttftMs - upstreamTtftMs);
      this.gatewayAddedTimeToFirstToken.observe(added / 1000);
    }
    if (interTokenMs !== null) {
      this.interTokenLatency.observe({ provider: summary.provider }, interTokenMs / 1000);
    }
  }
}
