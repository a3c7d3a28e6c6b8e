import { SluiceError } from "@sluice/protocol";
import type { Logger } from "pino";
import type { StreamLimiter } from "../limits/stream-limiter.js";
import { schemaValidator } from "../pipeline/schema-validator.js";
import type { RetryPolicy } from "../pipeline/with-retries.js";
import type { ProviderRequest } from "../providers/provider.js";
import type { ProviderRegistry } from "../providers/provider-registry.js";
import { Run, type RunLimits, type RunOptions, type RunSummary, type StopReason } from "./run.js";
import type { StreamLog } from "./stream-log.js";
import type { StreamStore } from "./stream-store.js";

export interface StreamServiceOptions {
  store: StreamStore;
  providers: ProviderRegistry;
  logger: Logger;
  limits: RunLimits;
  retryPolicy: Partial<RetryPolicy>;
  /** Concurrency and token limits per owner; none when undefined. */
  limiter?: StreamLimiter;
  onRunStart?: (modelId: string) => void;
  onRunEnd?: (summary: RunSummary) => void;
}

export interface StartStreamOptions {
  owner: string;
  /** `provider/model`, or undefined for the default model. */
  model: string | undefined;
  request: Omit<ProviderRequest, "model">;
  graceMs: number;
  /** Whether the ended stream is kept for resuming (default true); see `CreateStreamOptions`. */
  retain?: boolean;
  requestKey?: string;
  smooth?: RunOptions["smooth"];
  responseFormat?: RunOptions["responseFormat"];
  /** A `status` message to put first in the stream. */
  notice?: string;
}

/**
 * The one place routes go to start, find and stop streams. Runs of this process are kept
 * here until they end; logs live in the store, which may be shared with other instances.
 */
export class StreamService {
  readonly #options: StreamServiceOptions;
  readonly #runs = new Map<string, Run>();
  /** How long the store took to create each running stream (ms), for Server-Timing. */
  readonly #storeMs = new Map<string, number>();
  #closing = false;

  constructor(options: StreamServiceOptions) {
    this.#options = options;
    options.store.onCancelRequest((id) => this.#runs.get(id)?.stop("cancelled"));
  }

  /**
   * Resolves the model (a `not_found` error when unknown), checks a `json_schema` (an
   * `invalid_request` error when it is not a valid JSON Schema) and starts a detached run.
   */
  async start(options: StartStreamOptions): Promise<Run> {
    if (this.#closing) {
      throw new SluiceError("network_error", "The server is shutting down; try another instance.", {
        status: 503,
        retryAfterMs: 1000,
      });
    }
    const resolved = this.#options.providers.resolve(options.model);
    const { provider, model, id: modelId, router } = resolved;
    // An invalid JSON Schema is a 400 before any stream exists (compiled once, then cached).
    const format = options.responseFormat;
    if (format?.type === "json_schema" && format.json_schema.schema) {
      schemaValidator(format.json_schema.schema);
    }
    // An alias whose targets are all benched is a 503 before any stream exists.
    await router?.admit();
    // Concurrency and token budget, across instances with Redis: 429 before any stream exists.
    const lease = await this.#options.limiter?.acquire(options.owner);
    let log: Awaited<ReturnType<StreamStore["create"]>>;
    const creating = performance.now();
    try {
      log = await this.#options.store.create({
        owner: options.owner,
        ...(options.retain === false ? { retain: false } : {}),
        ...(options.requestKey === undefined ? {} : { requestKey: options.requestKey }),
      });
    } catch (error) {
      void lease?.release(0);
      throw error;
    }
    this.#storeMs.set(log.id, performance.now() - creating);
    const parentLogger = this.#options.logger;
    let logger: Logger | undefined;
    const run = new Run({
      provider,
      request: { ...options.request, model },
      modelId,
      routed: router !== undefined,
      log,
      // Made on first use: a run logs only when it fails, and a pino child costs about 0.35 KB
      // for the stream's whole life.
      get logger() {
        logger ??= parentLogger.child({ stream: log.id, model: modelId });
        return logger;
      },
      limits: this.#options.limits,
      retryPolicy: this.#options.retryPolicy,
      graceMs: options.graceMs,
      smooth: options.smooth,
      responseFormat: options.responseFormat,
      notice: options.notice,
      onEnd: (summary) => {
        this.#runs.delete(log.id);
        this.#storeMs.delete(log.id);
        void lease?.release(summary.totalTokens);
        this.#options.onRunEnd?.(summary);
      },
    });
    this.#runs.set(log.id, run);
    this.#options.onRunStart?.(modelId);
    void run.start();
    return run;
  }

  /**
   * The log of a stream the owner may read. A stream of another owner is reported as not
   * found, so that ids cannot be probed. `owner` null: the caller holds a stream token for
   * `id`, which stands for its owner.
   */
  async open(id: string, owner: string | null, signal: AbortSignal): Promise<StreamLog> {
    const log = await this.#options.store.open(id, signal);
    if (!log || (owner !== null && log.owner !== owner)) {
      throw new SluiceError("not_found", "No such stream.");
    }
    return log;
  }

  /** The live or retained stream started by an identical request, if any. */
  async findByRequestKey(requestKey: string, owner: string, signal: AbortSignal) {
    const id = await this.#options.store.findByRequestKey(requestKey, signal);
    if (!id) return undefined;
    const log = await this.#options.store.open(id, signal);
    return log && log.owner === owner ? log : undefined;
  }

  /** Cancels a stream wherever it runs; its readers end with `done: cancelled`. */
  async cancel(id: string, owner: string | null, signal: AbortSignal): Promise<StreamLog> {
    const log = await this.open(id, owner, signal);
    const local = this.#runs.get(id);
    if (local) local.stop("cancelled");
    else if (log.state() === "running") await this.#options.store.requestCancel(id);
    return log;
  }

  /** How long the store took to create running stream `id` (ms; 0 when unknown). */
  storeMs(id: string): number {
    return this.#storeMs.get(id) ?? 0;
  }

  /** How many runs this process is generating. */
  activeRuns(): number {
    return this.#runs.size;
  }

  /**
   * Lets running streams finish for up to `graceMs`, then ends the rest with a retryable
   * error so their clients resume elsewhere.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#closing = true;
    const running = [...this.#runs.values()].map((run) => run.start());
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(running), expired]);
    clearTimeout(timer);
    const remaining = [...this.#runs.values()];
    for (const run of remaining) run.stop("shutdown" satisfies StopReason);
    await Promise.all(remaining.map((run) => run.start()));
  }
}
