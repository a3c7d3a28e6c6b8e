import type { LogEvent, StreamEventEncoder } from "@sluice/protocol";
import type { LogEntry } from "./log-event.js";

/**
 * An entry of a log held in memory. Its JSON and its frame are made on first use and kept: an
 * event that no native reader reads (a `/v1` stream's) is never encoded as a native frame,
 * one that several read is encoded once, and compaction takes the JSON as it is instead of
 * cutting it out of the frame.
 */
export class MemoryLogEntry implements LogEntry {
  readonly seq: number;
  readonly event: LogEvent;
  readonly #encoder: StreamEventEncoder;
  #json: string | undefined;
  #frame: string | undefined;

  constructor(seq: number, event: LogEvent, encoder: StreamEventEncoder) {
    this.seq = seq;
    this.event = event;
    this.#encoder = encoder;
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
}
