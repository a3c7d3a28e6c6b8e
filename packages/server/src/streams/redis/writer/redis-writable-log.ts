import type { LogEvent } from "@sluice/protocol";
import type { LogEntry } from "../../log-event.js";
import type { MemoryStreamLog } from "../../memory-stream-log.js";
import type { LogFollower, StreamState, WritableStreamLog } from "../../stream-log.js";
import { RedisLogWriter, type RedisLogWriterContext } from "./redis-log-writer.js";
import { RedisReaderCount } from "./redis-reader-count.js";

/**
 * The log of a stream this instance generates: its readers here read memory, its writer
 * copies every event to Redis for the others, and its reader count includes the readers
 * other instances report, so that grace starts only when no reader is left anywhere.
 */
export class RedisWritableLog implements WritableStreamLog {
  readonly #memory: MemoryStreamLog;
  readonly writer: RedisLogWriter;
  readonly readers: RedisReaderCount;
  #readersListener: ((count: number) => void) | undefined;

  constructor(memory: MemoryStreamLog, context: RedisLogWriterContext) {
    this.#memory = memory;
    this.writer = new RedisLogWriter(memory, context);
    this.readers = new RedisReaderCount(context.leaseMs, (count) => this.#readersListener?.(count));
    memory.onReadersChanged((count) => this.readers.setLocal(count));
  }

  get id(): string {
    return this.#memory.id;
  }

  get owner(): string {
    return this.#memory.owner;
  }

  state(): StreamState {
    return this.#memory.state();
  }

  lastSeq(): number {
    return this.#memory.lastSeq();
  }

  readAfter(after: number, signal: AbortSignal): Promise<readonly LogEntry[]> {
    return this.#memory.readAfter(after, signal);
  }

  follow(after: number, follower: LogFollower): (() => void) | undefined {
    return this.#memory.follow(after, follower);
  }

  attachReader(): () => void {
    return this.#memory.attachReader();
  }

  onReadersChanged(listener: (count: number) => void): void {
    this.#readersListener = listener;
  }

  append(event: LogEvent): LogEntry {
    this.writer.scheduleFlush();
    const entry = this.#memory.append(event);
    this.writer.push(entry);
    return entry;
  }
}
