import type { ClientDoneEvent, ClientEvent } from "./client-event.js";
import { type ResolvedClientOptions, streamUrl } from "./client-options.js";
import { SluiceStreamError } from "./sluice-stream-error.js";
import type { StreamContext } from "./stream-context.js";

/**
 * One answer being streamed: an async iterable of its events (each delivered once, across any
 * number of reconnects), and promises of its parts. Iterate it at most once. A request the
 * server refused makes the iteration throw a {@link SluiceStreamError}; an `error` event is
 * delivered as an event, and the iteration then ends.
 */
export interface ChatStream<T = unknown> extends AsyncIterable<ClientEvent> {
  /** The stream id, once the response headers arrive (rejects for an answer from the fallback, which has none). */
  readonly id: Promise<string>;
  /**
   * The last event id, `<stream id>:<seq>`: of the last event the iteration handed out (or,
   * when nobody iterates, the last received). Pass it to `resumeStream` to continue after it.
   */
  readonly lastEventId: string | undefined;
  /** The text received so far. */
  readonly currentText: string;
  /**
   * The stream token the gateway sent with the stream (`X-Stream-Token`), once the headers
   * arrived: it lets another reader (a browser given only this and the id) read the stream
   * through `resumeStream(id, { streamToken })`, without the API key.
   */
  readonly streamToken: string | undefined;
  /** The whole answer; rejects with a {@link SluiceStreamError} when the stream fails or is left. */
  readonly text: Promise<string>;
  /** The `done` event; rejects with a {@link SluiceStreamError} (the `error` event's `error_type` and `retryable`, or `left`). */
  readonly done: Promise<ClientDoneEvent>;
  /** The final structured value (`done.value`), validated by `options.schema` when given. */
  readonly object: Promise<T>;
  /** Stop: `DELETE /api/streams/{id}`; the provider stops, and the stream ends `done` with `finish_reason: "cancelled"`. */
  stop(): Promise<void>;
  /** Leave: drop the connection only; the generation runs on for the grace period so another reader can resume it. */
  leave(): void;
}

/** A promise with its settle functions, marked handled: a caller who never awaits it is no error. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((resolvePromise, rejectPromise) => {
    resolve = resolvePromise;
    reject = rejectPromise;
  });
  // Handled here so that an unawaited part (say `object` of a text answer) is no unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Runs `produce` at once and fans its events out to the iterator and the promises. */
export class ChatStreamRun<T> implements ChatStream<T> {
  readonly #context: StreamContext;
  readonly #leave = new AbortController();
  readonly #stop = new AbortController();
  readonly #id = deferred<string>();
  readonly #text = deferred<string>();
  readonly #done = deferred<ClientDoneEvent>();
  readonly #object = deferred<T>();
  /** Events not yet handed to the iterator, each with the id it came with. */
  readonly #queue: { event: ClientEvent; id: string | undefined }[] = [];
  #deliveredEventId: string | undefined;
  #head = 0;
  #wake: (() => void) | undefined;
  #received = "";
  #finished = false;
  /** A failure with no event to show for it (a refused request): the iteration throws it. */
  #refusal: SluiceStreamError | undefined;
  #iterated = false;

  constructor(
    options: ResolvedClientOptions,
    start: { streamId?: string; lastEventId?: string; lastSeq?: number },
    produce: (context: StreamContext) => AsyncGenerator<ClientEvent, void, undefined>,
  ) {
    const id = this.#id;
    this.#context = {
      options,
      leaveSignal: this.#leave.signal,
      stopSignal: this.#stop.signal,
      streamId: start.streamId,
      streamToken: options.streamToken,
      lastEventId: start.lastEventId,
      lastSeq: start.lastSeq ?? 0,
      fallingBack: false,
      setStreamId(streamId) {
        this.streamId = streamId;
        id.resolve(streamId);
      },
    };
    this.#deliveredEventId = start.lastEventId;
    if (start.streamId) id.resolve(start.streamId);
    const onAbort = () => this.leave();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) this.leave();
    void this.#pump(produce(this.#context)).finally(() =>
      options.signal?.removeEventListener("abort", onAbort),
    );
  }

  get id(): Promise<string> {
    return this.#id.promise;
  }
  get lastEventId(): string | undefined {
    return this.#iterated ? this.#deliveredEventId : this.#context.lastEventId;
  }
  get currentText(): string {
    return this.#received;
  }
  get streamToken(): string | undefined {
    return this.#context.streamToken;
  }
  get text(): Promise<string> {
    return this.#text.promise;
  }
  get done(): Promise<ClientDoneEvent> {
    return this.#done.promise;
  }
  get object(): Promise<T> {
    return this.#object.promise;
  }

  async stop(): Promise<void> {
    if (this.#finished) return;
    if (this.#context.fallingBack) {
      this.#stop.abort();
      return;
    }
    let streamId: string;
    try {
      streamId = await this.#id.promise;
    } catch {
      return;
    }
    if (this.#finished) return;
    const { options } = this.#context;
    const response = await options.fetch(streamUrl(options, streamId), {
      method: "DELETE",
      headers: options.headers,
    });
    // 404: the stream ended and expired already, which is what stop asks for.
    if (!response.ok && response.status !== 404) {
      throw new SluiceStreamError(
        "network_error",
        `Stopping the stream failed: HTTP ${response.status}.`,
        {
          status: response.status,
        },
      );
    }
    await response.body?.cancel();
  }

  leave(): void {
    if (this.#finished || this.#leave.signal.aborted) return;
    this.#leave.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ClientEvent> {
    if (this.#iterated) throw new TypeError("A ChatStream can be iterated once.");
    this.#iterated = true;
    for (;;) {
      while (this.#head < this.#queue.length) {
        const entry = this.#queue[this.#head] as { event: ClientEvent; id: string | undefined };
        this.#head += 1;
        if (entry.id !== undefined) this.#deliveredEventId = entry.id;
        yield entry.event;
      }
      // Consumed events are let go: a long answer read as it comes holds no copy of them.
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#finished) {
        if (this.#refusal) throw this.#refusal;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async #pump(events: AsyncGenerator<ClientEvent, void, undefined>): Promise<void> {
    let terminal: ClientEvent | undefined;
    try {
      for await (const event of events) {
        if (event.type === "token") this.#received += event.content;
        this.#push(event);
        if (event.type === "done" || event.type === "error") {
          terminal = event;
          break;
        }
      }
    } catch (error) {
      this.#refusal =
        error instanceof SluiceStreamError
          ? error
          : new SluiceStreamError("unknown", String(error), { cause: error });
      this.#fail(this.#refusal);
      return;
    }
    if (terminal?.type === "done") this.#succeed(terminal);
    else if (terminal?.type === "error") {
      this.#fail(
        new SluiceStreamError(terminal.error_type, terminal.message, {
          retryable: terminal.retryable,
        }),
      );
    } else if (this.#leave.signal.aborted) {
      this.#fail(
        new SluiceStreamError(
          "left",
          "The stream was left; the answer goes on without this reader.",
          { retryable: true },
        ),
      );
    } else {
      this.#fail(
        new SluiceStreamError("network_error", "The stream ended without a terminal event.", {
          retryable: true,
        }),
      );
    }
  }

  #push(event: ClientEvent): void {
    this.#queue.push({ event, id: this.#context.lastEventId });
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #succeed(done: ClientDoneEvent): void {
    this.#finished = true;
    this.#id.reject(noStreamId());
    this.#text.resolve(this.#received);
    this.#done.resolve(done);
    const schema = this.#context.options.schema;
    try {
      this.#object.resolve((schema ? schema.parse(done.value) : done.value) as T);
    } catch (error) {
      this.#object.reject(
        new SluiceStreamError("invalid_object", "The final object does not match the schema.", {
          cause: error,
          partialText: this.#received,
        }),
      );
    }
    this.#wakeUp();
  }

  #fail(failure: SluiceStreamError): void {
    if (failure.partialText === "") failure.partialText = this.#received;
    this.#finished = true;
    this.#id.reject(failure);
    this.#text.reject(failure);
    this.#done.reject(failure);
    this.#object.reject(failure);
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

function noStreamId(): SluiceStreamError {
  return new SluiceStreamError("no_stream_id", "This answer came without a stream id.");
}
