import type { LogEvent, StreamEventEncoder } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";

/**
 * An entry of a log held in memory. Its JSON and its frame are made on first use and kept until
 * {@link release}: an event that no native reader reads (a `/v1` stream's) is never encoded as a
 * native frame, and the readers following the log in one turn share one encoding.
 */
export class MemoryLogEntry implements LogEntry {
  readonly seq: number;
  readonly event: LogEvent;
  readonly #encoder: StreamEventEncoder;
  #json: string | undefined;
  #frame: string | undefined;

  /** `json`, when the caller has it already (an entry rebuilt from a compacted log). */
  constructor(seq: number, event: LogEvent, encoder: StreamEventEncoder, json?: string) {
    this.seq = seq;
    this.event = event;
    this.#encoder = encoder;
    this.#json = json;
  }

  /** The event's JSON. */
  get json(): string {
    this.#json ??= this.#encoder.json(this.event);
    return this.#json;
  }

  get frame(): string {
    this.#frame ??= this.event.type === "tool_call" ? "" : this.#encoder.frame(this.seq, this.json);
    return this.#frame;
  }

  /**
   * Lets go of the JSON and frame once the readers following the log have written them: kept,
   * they outlive a young-generation collection or two and are promoted, to be collected by the
   * costlier old-generation one. A later reader (a resume) makes them again.
   */
  release(): void {
    this.#json = undefined;
    this.#frame = undefined;
  }
}
