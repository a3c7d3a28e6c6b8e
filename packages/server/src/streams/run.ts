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
import type { Provider, ProviderEvent, ProviderRequest } from "../providers/provider.js";
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
  ttftMs: number | null;
}

/**
 * One generation: pulls from its provider through the pipeline (retries and timeouts before
 * the first token, smoothing, partial JSON, usage) and appends numbered events to its log.
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

  constructor(options: RunOptions) {
    this.#options = options;
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

  #events(signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const { provider, request, limits, retryPolicy, smooth, routed } = this.#options;
    const events = routed
      ? provider.stream(request, signal)
      : withRetries(
          (attemptSignal) =>
            withTimeouts(
              (timedSignal) => provider.stream(request, timedSignal),
              {
                ...(limits.firstTokenMs > 0 ? { firstTokenMs: limits.firstTokenMs } : {}),
                ...(limits.idleMs > 0 ? { idleMs: limits.idleMs } : {}),
              },
              attemptSignal,
            ),
          retryPolicy,
          signal,
        );
    return smooth === "word" || smooth === "line" ? smoothText(events, smooth, {}, signal) : events;
  }

  async #execute(): Promise<void> {
    const { log, responseFormat, limits } = this.#options;
    const signal = this.#controller.signal;
    const startedAt = performance.now();
    const usage = new UsageCounter(this.#options.request);
    const json =
      responseFormat && responseFormat.type !== "text"
        ? new JsonAccumulator(responseFormat)
        : undefined;
    let firstTokenAt: number | undefined;
    let finishReason: FinishReason = "stop";
    let model = this.#options.modelId;
    // Each retry announces itself with one status event before it waits (withRetries).
    let retries = 0;
    const totalTimer =
      limits.totalMs > 0 ? setTimeout(() => this.stop("timeout"), limits.totalMs) : undefined;

    const finish = (): Omit<DoneEvent, "type" | "finish_reason"> => {
      const elapsedSeconds = (performance.now() - startedAt) / 1000;
      const counted = usage.result();
      return {
        model,
        token_count: counted.completion_tokens,
        ttft_ms: firstTokenAt === undefined ? null : round(firstTokenAt - startedAt, 1),
        elapsed_seconds: round(elapsedSeconds, 3),
        tokens_per_second:
          elapsedSeconds > 0 ? round(counted.completion_tokens / elapsedSeconds, 1) : 0,
        usage: counted,
      };
    };

    if (this.#options.notice) log.append({ type: "status", message: this.#options.notice });
    let terminal: DoneEvent | ErrorEvent;
    try {
      for await (const event of this.#events(signal)) {
        switch (event.type) {
          case "text": {
            if (event.text === "") break;
            firstTokenAt ??= performance.now();
            usage.addText(event.text);
            log.append({ type: "token", content: event.text });
            const value = json?.push(event.text);
            if (value !== undefined) log.append({ type: "json", value });
            break;
          }
          case "tool_call":
            firstTokenAt ??= performance.now();
            log.append(event);
            break;
          case "status":
            retries += 1;
            log.append({ type: "status", message: event.message });
            break;
          case "usage":
            usage.setProviderUsage(event.promptTokens, event.completionTokens, event.estimated);
            break;
          case "finish":
            finishReason = event.reason === "tool_calls" ? "stop" : event.reason;
            if (event.model) model = event.model;
            break;
        }
      }
      terminal = { type: "done", finish_reason: finishReason, ...finish() };
      if (json && finishReason === "stop") {
        const parsed = json.finish();
        terminal = parsed.ok ? { ...terminal, value: parsed.value } : errorEvent(parsed.error);
      }
    } catch (error) {
      if (!signal.aborted && error instanceof SluiceError) this.#failure = error;
      terminal = signal.aborted ? this.#stoppedEvent(finish) : errorEvent(error);
      if (terminal.type === "error") this.#logFailure(terminal, error, retries + 1);
    } finally {
      clearTimeout(totalTimer);
      clearTimeout(this.#graceTimer);
    }
    log.append(terminal);
    this.#options.onEnd?.({
      modelId: this.#options.modelId,
      finish: terminal,
      tokens: usage.result().completion_tokens,
      ttftMs: terminal.type === "done" ? terminal.ttft_ms : null,
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
