import type {
  DoneEvent,
  ErrorEvent,
  FinishReason,
  ResponseFormat,
  Smoothing,
  StreamErrorType,
} from "@sluice/protocol";
import { SluiceError, StreamErrorType as streamErrorTypes } from "@sluice/protocol";
import type { Logger } from "pino";
import { JsonAccumulator } from "../pipeline/json-accumulator.js";
import { smoothText } from "../pipeline/smooth-text.js";
import { UsageCounter } from "../pipeline/usage-counter.js";
import { type RetryPolicy, withRetries } from "../pipeline/with-retries.js";
import { withTimeouts } from "../pipeline/with-timeouts.js";
import type {
  Provider,
  ProviderEvent,
  ProviderRequest,
  ProviderSource,
} from "../providers/provider.js";
import { causeCode } from "../providers/provider-error.js";
import type { WritableStreamLog } from "./stream-log.js";

/** Why a run was stopped from outside; each ends the stream in its own way. */
export type StopReason = "cancelled" | "grace" | "timeout" | "shutdown";

export interface RunLimits {
  /** Time to the first token, per attempt (ms; 0 is off). */
  firstTokenMs: number;
  /** Longest silence between provider events after the first (ms; 0 is off). */
  idleMs: number;
  /** Whole stream, retries included (ms; 0 is off). */
  totalMs: number;
}

export interface RunOptions {
  provider: Provider;
  request: ProviderRequest;
  /** `provider/model` or the alias, for `done`, logs and metrics. */
  modelId: string;
  /**
   * The provider is a router (a model alias) that retries and times out each of its targets
   * itself: the run applies neither. Default false.
   */
  routed?: boolean | undefined;
  log: WritableStreamLog;
  logger: Logger;
  limits: RunLimits;
  retryPolicy: Partial<RetryPolicy>;
  /** How long the run outlives its last reader, so that a reconnect finds it (ms). */
  graceMs: number;
  smooth?: Smoothing | undefined;
  responseFormat?: ResponseFormat | undefined;
  /** A `status` message to put first in the stream. */
  notice?: string | undefined;
  /** Called once when the stream has its terminal event. */
  onEnd?: (summary: RunSummary) => void;
}

export interface RunSummary {
  modelId: string;
  finish: DoneEvent | ErrorEvent;
  tokens: number;
  /** Prompt + completion tokens, as `done.usage` counts them: what a token budget is charged. */
  totalTokens: number;
  ttftMs: number | null;
  /** The provider's name (`openai`, an instance's name, `demo`): a bounded metrics label. */
  provider: string;
  /** From sending the attempt that answered to its first token: the upstream's share of TTFT. */
  upstreamTtftMs: number | null;
  /** (end − first token) / (tokens − 1), computed once at the end; null below two tokens. */
  interTokenMs: number | null;
}

/**
 * One generation: its provider's events are pushed through the pipeline (timeouts, retries
 * before the first token, smoothing) into {@link #onEvent} (partial JSON, usage), which
 * appends numbered events to the log, synchronously, in the turn the upstream bytes came.
 * It never waits for a reader, and owns the AbortController that stop, grace expiry,
 * timeouts and shutdown fire.
 */
export class Run {
  readonly log: WritableStreamLog;
  readonly #options: RunOptions;
  readonly #controller = new AbortController();
  #stopReason: StopReason | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #finished: Promise<void> | undefined;
  #failure: SluiceError | undefined;
  readonly #usage: UsageCounter;
  readonly #json: JsonAccumulator | undefined;
  #startedAt = 0;
  #firstTokenAt: number | undefined;
  /** When the latest attempt's upstream request started (set per attempt, not per token). */
  #attemptStartedAt = 0;
  #finishReason: FinishReason = "stop";
  #retries = 0;
  /** The `provider/model` that finished the answer, when a router says which. */
  #model: string;

  constructor(options: RunOptions) {
    this.#options = options;
    this.#usage = new UsageCounter(options.request);
    this.#model = options.modelId;
    const format = options.responseFormat;
    this.#json = format && format.type !== "text" ? new JsonAccumulator(format) : undefined;
    this.log = options.log;
    this.log.onReadersChanged((count) => this.#readersChanged(count));
  }

  /** `provider/model` of this generation. */
  get modelId(): string {
    return this.#options.modelId;
  }

  /**
   * The error that ended the run, with what its event cannot carry (the upstream's
   * retry-after, the HTTP status), for readers in this process that answer with a status.
   */
  get failure(): SluiceError | undefined {
    return this.#failure;
  }

  /** Starts generating; the promise settles when the terminal event is in the log. */
  start(): Promise<void> {
    // Whatever fails, the stream still gets its one terminal event.
    this.#finished ??= this.#execute().catch((error: unknown) => {
      if (this.log.state() === "running") this.log.append(errorEvent(error, this.#options.logger));
    });
    return this.#finished;
  }

  /** Stops the generation and aborts the upstream request; a no-op once the run has ended. */
  stop(reason: StopReason): void {
    if (this.#controller.signal.aborted || this.log.state() !== "running") return;
    this.#stopReason = reason;
    this.#controller.abort(new SluiceError("unknown", `Run stopped: ${reason}`));
  }

  #readersChanged(count: number): void {
    if (count > 0) {
      clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
    } else if (this.log.state() === "running" && !this.#graceTimer) {
      if (this.#options.graceMs <= 0) {
        this.stop("grace");
        return;
      }
      this.#graceTimer = setTimeout(() => this.stop("grace"), this.#options.graceMs);
    }
  }

  /**
   * The pipeline as one push source: the provider, its timeouts per attempt, retries before the
   * first token, then smoothing. Each event reaches {@link #onEvent} synchronously, in the turn
   * its upstream bytes arrived; see `ProviderSource`.
   */
  #source(): ProviderSource {
    const { provider, request, limits, retryPolicy, smooth, routed } = this.#options;
    const attempt: ProviderSource = (signal, emit) => {
      this.#attemptStartedAt = performance.now();
      return provider.stream(request, signal, emit);
    };
    const retried = routed
      ? attempt
      : withRetries(
          withTimeouts(attempt, {
            ...(limits.firstTokenMs > 0 ? { firstTokenMs: limits.firstTokenMs } : {}),
            ...(limits.idleMs > 0 ? { idleMs: limits.idleMs } : {}),
          }),
          retryPolicy,
        );
    return smooth === "word" || smooth === "line" ? smoothText(retried, smooth) : retried;
  }

  /** One event of the pipeline into the log: the per-token path, synchronous. */
  readonly #onEvent = (event: ProviderEvent): void => {
    const log = this.log;
    switch (event.type) {
      case "text": {
        if (event.text === "") return;
        this.#firstTokenAt ??= performance.now();
        this.#usage.addText(event.text);
        log.append({ type: "token", content: event.text });
        const value = this.#json?.push(event.text);
        if (value !== undefined) log.append({ type: "json", value });
        return;
      }
      case "tool_call":
        this.#firstTokenAt ??= performance.now();
        log.append(event);
        return;
      case "status":
        // The pipeline announces every further upstream call with one status event before it
        // (a retry from withRetries; a fallback or a continuation from a router), so the count
        // plus one is the calls made: the failure log's `attempts`.
        this.#retries += 1;
        log.append({ type: "status", message: event.message });
        return;
      case "usage":
        this.#usage.setProviderUsage(event.promptTokens, event.completionTokens, event.estimated);
        return;
      case "finish":
        this.#finishReason = event.reason === "tool_calls" ? "stop" : event.reason;
        if (event.model) this.#model = event.model;
        return;
    }
  };

  #summary(): Omit<DoneEvent, "type" | "finish_reason"> {
    const elapsedSeconds = (performance.now() - this.#startedAt) / 1000;
    const counted = this.#usage.result();
    return {
      model: this.#model,
      token_count: counted.completion_tokens,
      ttft_ms:
        this.#firstTokenAt === undefined ? null : round(this.#firstTokenAt - this.#startedAt, 1),
      elapsed_seconds: round(elapsedSeconds, 3),
      tokens_per_second:
        elapsedSeconds > 0 ? round(counted.completion_tokens / elapsedSeconds, 1) : 0,
      usage: counted,
    };
  }

  async #execute(): Promise<void> {
    const { log, limits } = this.#options;
    const signal = this.#controller.signal;
    this.#startedAt = performance.now();
    const totalTimer =
      limits.totalMs > 0 ? setTimeout(() => this.stop("timeout"), limits.totalMs) : undefined;
    if (this.#options.notice) log.append({ type: "status", message: this.#options.notice });
    let terminal: DoneEvent | ErrorEvent;
    try {
      await this.#source()(signal, this.#onEvent);
      // A source may resolve on abort; what was sent after it is not the answer's end.
      signal.throwIfAborted();
      terminal = { type: "done", finish_reason: this.#finishReason, ...this.#summary() };
      if (this.#json && this.#finishReason === "stop") {
        const parsed = this.#json.finish();
        terminal = parsed.ok ? { ...terminal, value: parsed.value } : errorEvent(parsed.error);
      }
    } catch (error) {
      if (!signal.aborted && error instanceof SluiceError) this.#failure = error;
      terminal = signal.aborted ? this.#stoppedEvent(() => this.#summary()) : errorEvent(error);
      if (terminal.type === "error") this.#logFailure(terminal, error, this.#retries + 1);
    } finally {
      clearTimeout(totalTimer);
      clearTimeout(this.#graceTimer);
    }
    log.append(terminal);
    const endedAt = performance.now();
    const counted = this.#usage.result();
    const firstTokenAt = this.#firstTokenAt;
    this.#options.onEnd?.({
      modelId: this.#options.modelId,
      finish: terminal,
      tokens: counted.completion_tokens,
      totalTokens: counted.total_tokens,
      ttftMs: terminal.type === "done" ? terminal.ttft_ms : null,
      provider: this.#options.provider.name,
      upstreamTtftMs: firstTokenAt === undefined ? null : firstTokenAt - this.#attemptStartedAt,
      interTokenMs:
        firstTokenAt === undefined || counted.completion_tokens < 2
          ? null
          : (endedAt - firstTokenAt) / (counted.completion_tokens - 1),
    });
  }

  /** The one line an operator reads for a generation that failed: what, where, why. */
  #logFailure(terminal: ErrorEvent, error: unknown, attempts: number): void {
    const { provider, modelId, logger } = this.#options;
    logger.warn(
      {
        model: modelId,
        provider: provider.name,
        host: provider.host,
        error_type: terminal.error_type,
        cause: causeCode(error),
        attempts,
        // An unknown throw is masked for the client; its stack is for the operator.
        ...(terminal.error_type === "unknown" ? { err: error } : {}),
      },
      `generation failed: ${terminal.error_type === "unknown" && error instanceof Error ? error.message : terminal.message}`,
    );
  }

  #stoppedEvent(finish: () => Omit<DoneEvent, "type" | "finish_reason">): DoneEvent | ErrorEvent {
    switch (this.#stopReason) {
      case "timeout":
        return errorEvent(
          new SluiceError("timeout", "The stream exceeded its time limit.", { retryable: true }),
        );
      case "shutdown":
        return errorEvent(
          new SluiceError("network_error", "The server is shutting down; resume elsewhere.", {
            retryable: true,
          }),
        );
      default:
        return { type: "done", finish_reason: "cancelled", ...finish() };
    }
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The terminal `error` event for any failure; unknown throws are logged and masked. */
function errorEvent(error: unknown, logger?: Logger): ErrorEvent {
  if (error instanceof SluiceError && streamErrorTypes.safeParse(error.type).success) {
    return {
      type: "error",
      error_type: error.type as StreamErrorType,
      message: error.message,
      retryable: error.retryable,
    };
  }
  logger?.error({ err: error }, "run failed");
  const masked = new SluiceError("unknown");
  return { type: "error", error_type: "unknown", message: masked.message, retryable: false };
}
