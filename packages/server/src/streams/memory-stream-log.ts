import type { LogEvent } from "@sluice/protocol";
import { encodeStreamEvent, formatEventId, isTerminal } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";
import type { StreamState, WritableStreamLog } from "./stream-log.js";

/** A stream log held in this process: an array of entries whose index is seq − 1. */
export class MemoryStreamLog implements WritableStreamLog {
  readonly id: string;
  readonly owner: string;
  #entries: LogEntry[] = [];
  #state: StreamState = "running";
  #readers = 0;
  #readersListener: ((count: number) => void) | undefined;
  #wake: (() => void) | undefined;
  #waiting: Promise<void> | undefined;
  #wakeScheduled = false;
  #onEnd: ((log: MemoryStreamLog) => void) | undefined;

  constructor(id: string, owner: string, onEnd?: (log: MemoryStreamLog) => void) {
    this.id = id;
    this.owner = owner;
    this.#onEnd = onEnd;
  }

  state(): StreamState {
    return this.#state;
  }

  lastSeq(): number {
    return this.#entries.length;
  }

  append(event: LogEvent): LogEntry {
    if (this.#state !== "running") throw new Error(`Stream ${this.id} has already ended.`);
    const seq = this.#entries.length + 1;
    const frame =
      event.type === "tool_call" ? "" : encodeStreamEvent(formatEventId(this.id, seq), event);
    const entry: LogEntry = { seq, event, frame };
    this.#entries.push(entry);
    if (isTerminal(event)) {
      this.#state = event.type === "done" ? "done" : "error";
      this.#onEnd?.(this);
      // An ended stream is kept for resuming only: let go of its run (and all the run holds).
      this.#onEnd = undefined;
      this.#readersListener = undefined;
    }
    this.#scheduleWake();
    return entry;
  }

  async readAfter(after: number, signal: AbortSignal): Promise<readonly LogEntry[]> {
    while (after >= this.#entries.length && this.#state === "running") {
      signal.throwIfAborted();
      await this.#nextChange(signal);
    }
    return this.#entries.slice(after);
  }

  attachReader(): () => void {
    this.#readers += 1;
    this.#readersListener?.(this.#readers);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.#readers -= 1;
      this.#readersListener?.(this.#readers);
    };
  }

  onReadersChanged(listener: (count: number) => void): void {
    this.#readersListener = listener;
  }

  /**
   * Readers are woken once per event-loop turn, not once per append: the tokens of one
   * upstream chunk are appended in the same turn and then leave in one socket write.
   */
  #scheduleWake(): void {
    if (this.#wakeScheduled || !this.#wake) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      const wake = this.#wake;
      this.#wake = undefined;
      this.#waiting = undefined;
      wake?.();
    });
  }

  #nextChange(signal: AbortSignal): Promise<void> {
    if (!this.#waiting) {
      this.#waiting = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    const waiting = this.#waiting;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      waiting.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }
}
