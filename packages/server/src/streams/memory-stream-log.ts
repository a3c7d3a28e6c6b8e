import type { LogEvent } from "@sluice/protocol";
import { isTerminal, StreamEventEncoder } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";
import { MemoryLogEntry } from "./memory-log-entry.js";
import type { LogFollower, StreamLog, StreamState, WritableStreamLog } from "./stream-log.js";

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
  #entries: MemoryLogEntry[] = [];
  #compact: CompactLog | undefined;
  readonly #encoder: StreamEventEncoder;
  #length = 0;
  /** Entries before this index have had their JSON and frame let go after the followers wrote them. */
  #released = 0;
  /** Readers handed each turn's entries synchronously, with the seq each has had up to. */
  #followers: { follower: LogFollower; position: number }[] = [];
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
    this.#encoder = new StreamEventEncoder(id);
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
    const entry = new MemoryLogEntry(seq, event, this.#encoder);
    this.#entries.push(entry);
    this.#length = seq;
    // Before the end's listener, whose own immediate (compaction) must come after the readers'.
    this.#scheduleWake();
    if (isTerminal(event)) {
      this.#state = event.type === "done" ? "done" : "error";
      this.#onEnd?.(this);
      // An ended stream is kept for resuming only: let go of its run (and all the run holds).
      this.#onEnd = undefined;
      this.#readersListener = undefined;
    }
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
   * costs about its text. A resume rebuilds the entries it reads (one parse per event: the
   * cost moves from idle memory to the rare resume). Returns the bytes it now holds; a no-op
   * (returning 0) while the stream runs.
   */
  compact(): number {
    if (this.#state === "running") return 0;
    if (!this.#compact) {
      const entries = this.#entries;
      const count = entries.length;
      const parts = new Array<string>(count);
      for (let index = 0; index < count; index++)
        parts[index] = (entries[index] as MemoryLogEntry).json;
      const json = parts.join("");
      // Not from the shared pool: the buffer is kept, and must not keep a larger slab alive.
      const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
      bytes.write(json);
      const offsets = new Uint32Array(count + 1);
      // All ASCII (as byte length = string length says): a part's bytes are its characters.
      const ascii = bytes.byteLength === json.length;
      let offset = 0;
      for (let index = 0; index < count; index++) {
        const part = parts[index] as string;
        offset += ascii ? part.length : Buffer.byteLength(part);
        offsets[index + 1] = offset;
      }
      this.#compact = { bytes, offsets };
      this.#entries = [];
    }
    return this.#compact.bytes.byteLength + this.#compact.offsets.byteLength;
  }

  #expand({ bytes, offsets }: CompactLog, after: number): LogEntry[] {
    const entries: LogEntry[] = [];
    for (let seq = after + 1; seq <= this.#length; seq++) {
      const json = bytes.toString("utf8", offsets[seq - 1], offsets[seq]);
      // The frame is made only if a native reader asks for it (not for a /v1 or UI reader).
      entries.push(new MemoryLogEntry(seq, JSON.parse(json) as LogEvent, this.#encoder, json));
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

  /** See {@link StreamLog.follow}; followers are called in the turn's wake-up callback. */
  follow(after: number, follower: LogFollower): (() => void) | undefined {
    if (this.#state !== "running") return undefined;
    const entry = { follower, position: after };
    this.#followers = [...this.#followers, entry];
    if (after < this.#length) this.#scheduleWake();
    return () => {
      this.#followers = this.#followers.filter((other) => other !== entry);
    };
  }

  /**
   * Readers are woken once per event-loop turn, not once per append: the tokens of one
   * upstream chunk are appended in the same turn and then leave in one socket write.
   * Followers are called in that same callback; waiting readers resolve after it.
   */
  #scheduleWake(): void {
    if (this.#wakeScheduled || (!this.#wake && this.#followers.length === 0)) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      const wake = this.#wake;
      this.#wake = undefined;
      this.#waiting = undefined;
      wake?.();
      this.#handToFollowers();
    });
  }

  #handToFollowers(): void {
    const followers = this.#followers;
    const length = this.#length;
    let entries: readonly LogEntry[] | undefined;
    for (const entry of followers) {
      if (entry.position >= length) continue;
      const from = entry.position;
      entry.position = length;
      // Compacted already (by a store that did not wait for this turn): rebuilt once.
      entries ??= this.#compact ? this.#expand(this.#compact, 0) : this.#entries;
      if (!entry.follower(entries, from)) {
        this.#followers = this.#followers.filter((other) => other !== entry);
      }
    }
    // Written by every follower: what the log keeps of these entries is their event.
    const kept = this.#entries;
    for (let index = this.#released; index < length && index < kept.length; index++) {
      (kept[index] as MemoryLogEntry).release();
    }
    this.#released = length;
    // Every follower has had the terminal entry.
    if (this.#state !== "running") this.#followers = [];
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
