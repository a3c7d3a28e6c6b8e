import type { LogEvent } from "@sluice/protocol";
import { encodeSseMessage, encodeStreamEvent, formatEventId, isTerminal } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";
import type { StreamState, WritableStreamLog } from "./stream-log.js";

/** An ended log kept for resuming: every event's JSON in one buffer, and where each starts. */
interface CompactLog {
  readonly bytes: Buffer;
  /** Byte offset of seq's JSON at index seq − 1; one more at the end. */
  readonly offsets: Uint32Array;
}

/**
 * A stream log held in this process: an array of entries whose index is seq − 1 while it runs;
 * once ended, {@link compact} turns it into one buffer of the events' JSON plus an index.
 */
export class MemoryStreamLog implements WritableStreamLog {
  readonly id: string;
  readonly owner: string;
  #entries: LogEntry[] = [];
  #compact: CompactLog | undefined;
  #length = 0;
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
    return this.#length;
  }

  append(event: LogEvent): LogEntry {
    if (this.#state !== "running") throw new Error(`Stream ${this.id} has already ended.`);
    const seq = this.#length + 1;
    const frame =
      event.type === "tool_call" ? "" : encodeStreamEvent(formatEventId(this.id, seq), event);
    const entry: LogEntry = { seq, event, frame };
    this.#entries.push(entry);
    this.#length = seq;
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
    while (after >= this.#length && this.#state === "running") {
      signal.throwIfAborted();
      await this.#nextChange(signal);
    }
    return this.#compact ? this.#expand(this.#compact, after) : this.#entries.slice(after);
  }

  /**
   * Keeps an ended log as its events' JSON in one buffer plus an offset per event, instead of
   * an entry object, an event object and an encoded frame per event: a retained stream then
   * costs about its text. A resume rebuilds the frames it sends (one parse per event: the
   * cost moves from idle memory to the rare resume). Returns the bytes it now holds; a no-op
   * (returning 0) while the stream runs.
   */
  compact(): number {
    if (this.#state === "running") return 0;
    if (!this.#compact) {
      const parts = this.#entries.map(({ event, frame }) =>
        // A frame is `id: …\ndata: <json>\n\n`; tool-call fragments have none.
        frame === "" ? JSON.stringify(event) : frame.slice(frame.indexOf("\ndata: ") + 7, -2),
      );
      const offsets = new Uint32Array(parts.length + 1);
      for (const [index, part] of parts.entries()) {
        offsets[index + 1] = (offsets[index] as number) + Buffer.byteLength(part);
      }
      // Not from the shared pool: the buffer is kept, and must not keep a larger slab alive.
      const bytes = Buffer.allocUnsafeSlow(offsets[parts.length] as number);
      for (const [index, part] of parts.entries()) bytes.write(part, offsets[index] as number);
      this.#compact = { bytes, offsets };
      this.#entries = [];
    }
    return this.#compact.bytes.byteLength + this.#compact.offsets.byteLength;
  }

  #expand({ bytes, offsets }: CompactLog, after: number): LogEntry[] {
    const entries: LogEntry[] = [];
    for (let seq = after + 1; seq <= this.#length; seq++) {
      const json = bytes.toString("utf8", offsets[seq - 1], offsets[seq]);
      const event = JSON.parse(json) as LogEvent;
      const frame =
        event.type === "tool_call" ? "" : encodeSseMessage(formatEventId(this.id, seq), json);
      entries.push({ seq, event, frame });
    }
    return entries;
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
