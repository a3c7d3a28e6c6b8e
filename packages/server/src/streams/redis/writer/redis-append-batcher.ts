import type { Redis } from "ioredis";
import type { RedisLogWriter } from "./redis-log-writer.js";

/**
 * Sends the appends of one event-loop turn, from every stream of this instance, as one
 * pipeline: one round trip per turn, not one per token or per stream.
 */
export class RedisAppendBatcher {
  readonly #client: Redis;
  #writers: RedisLogWriter[] = [];
  #scheduled = false;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #flush = () => this.flush();
  #pipelines = 0;

  readonly #onLatency: ((seconds: number) => void) | undefined;

  /** `onLatency` hears each pipeline's round trip (metrics), once per turn with appends. */
  constructor(client: Redis, onLatency?: (seconds: number) => void) {
    this.#client = client;
    this.#onLatency = onLatency;
  }

  /** Pipelines sent so far: round trips spent on appends. */
  get pipelines(): number {
    return this.#pipelines;
  }

  /** Queues a writer for this turn's pipeline; each writer asks at most once per turn. */
  schedule(writer: RedisLogWriter): void {
    this.#writers.push(writer);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  /** Sends what the queued writers hold, now. */
  flush(): void {
    this.#scheduled = false;
    const writers = this.#writers;
    this.#writers = [];
    const pipeline = this.#client.pipeline();
    const sent: { writer: RedisLogWriter; start: number; end: number }[] = [];
    for (const writer of writers) {
      const start = pipeline.length;
      const count = writer.writeTo(pipeline);
      if (count > 0) sent.push({ writer, start, end: start + count });
    }
    if (sent.length === 0) return;
    this.#pipelines += 1;
    const sentAt = performance.now();
    const done: Promise<void> = pipeline.exec().then(
      (results) => {
        this.#onLatency?.((performance.now() - sentAt) / 1000);
        for (const { writer, start, end } of sent) writer.written(results?.slice(start, end));
      },
      () => {
        for (const { writer } of sent) writer.written(undefined);
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  /** Sends what is queued and waits for every batch in flight (before closing). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.#inFlight);
  }
}
