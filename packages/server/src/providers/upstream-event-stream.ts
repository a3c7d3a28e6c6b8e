import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";

/** What an {@link UpstreamEventStream} reports back, in the order undici calls it. */
export interface UpstreamEventStreamCallbacks {
  /** A body chunk of a 2xx response, synchronously as undici read it; may throw to fail. */
  onBody(chunk: Buffer): void;
  /** The 2xx body ended; may throw to fail (a stream that stopped short). */
  onEnd(): void;
  /** A response with a status of 300 or more, its body read whole. */
  onStatus(statusCode: number, headers: Headers, body: string): void;
  /**
   * No response (`responded` false), a cut connection, an abort (`signal.reason`) or a throw
   * from `onBody` or `onEnd`.
   */
  onError(error: Error, responded: boolean): void;
}

/**
 * One streaming upstream request as an undici dispatch handler. Written by hand (undici's
 * `request()` is the well-kept way) because `request()` wraps every response body in a Node
 * Readable with its own state, listeners and abort wiring, about 2.5 KB for each open stream,
 * and pushes every chunk through it; here the bytes go from undici's parser straight to
 * `onBody`. Exactly one of `onEnd`, `onStatus`, `onError` is called, once.
 */
export class UpstreamEventStream implements Dispatcher.DispatchHandler {
  readonly #signal: AbortSignal;
  readonly #callbacks: UpstreamEventStreamCallbacks;
  #controller: Dispatcher.DispatchController | undefined;
  /** An error status, its headers and its body, collected for the error's message. */
  #errorStatus = 0;
  #errorHeaders: IncomingHttpHeaders | undefined;
  #errorBody: Buffer[] | undefined;
  #responded = false;
  #settled = false;

  constructor(signal: AbortSignal, callbacks: UpstreamEventStreamCallbacks) {
    this.#signal = signal;
    this.#callbacks = callbacks;
    signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  readonly #onAbort = (): void => {
    const reason = this.#signal.reason as Error;
    // undici answers abort() with onResponseError(reason); before the request starts, settle here.
    if (this.#controller) this.#controller.abort(reason);
    else this.#fail(reason);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#settled) controller.abort(this.#signal.reason as Error);
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return;
    this.#responded = true;
    if (statusCode >= 300) {
      this.#errorStatus = statusCode;
      this.#errorHeaders = headers;
      this.#errorBody = [];
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    if (this.#errorBody) {
      this.#errorBody.push(chunk);
      return;
    }
    try {
      this.#callbacks.onBody(chunk);
    } catch (error) {
      this.#fail(error as Error);
      controller.abort(error as Error);
    }
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    if (this.#errorBody) {
      this.#settle();
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#errorHeaders ?? {})) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const body = Buffer.concat(this.#errorBody).toString("utf8");
      this.#callbacks.onStatus(this.#errorStatus, headers, body);
      return;
    }
    try {
      this.#callbacks.onEnd();
      this.#settle();
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  #settle(): void {
    this.#settled = true;
    this.#signal.removeEventListener("abort", this.#onAbort);
  }

  #fail(error: Error): void {
    if (this.#settled) return;
    this.#settle();
    this.#callbacks.onError(error, this.#responded);
  }
}
