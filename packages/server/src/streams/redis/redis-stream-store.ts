import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { MemoryStreamLog } from "../memory-stream-log.js";
import { newStreamId } from "../memory-stream-store.js";
import type { StreamLog, WritableStreamLog } from "../stream-log.js";
import type { CreateStreamOptions, StreamStore } from "../stream-store.js";
import { RedisConnections } from "./redis-connections.js";
import { RedisControl } from "./redis-control.js";
import { RedisKeys } from "./redis-keys.js";
import { orUnavailable } from "./redis-unavailable.js";
import { RemoteStreamViews } from "./view/remote-stream-views.js";
import { RedisAppendBatcher } from "./writer/redis-append-batcher.js";
import type { RedisLogWriterContext } from "./writer/redis-log-writer.js";
import { RedisWritableLog } from "./writer/redis-writable-log.js";

const releaseClaimLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisStreamStoreOptions {
  /** The shared Redis, e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** How long an ended stream stays readable, in ms (default 5 minutes). */
  ttlMs?: number;
  /**
   * How long an instance may fail to renew the lease of a stream it generates before readers
   * elsewhere end that stream with a retryable error, in ms (default 5000).
   */
  leaseMs?: number;
  /** Starts every key and channel (default `sluice:`). */
  keyPrefix?: string;
  logger: Logger;
  /** Hears the round trip of each pipeline of appends, in seconds (metrics). */
  onAppendLatency?: (seconds: number) => void;
}

/**
 * Streams shared by every instance through Redis. A stream's generator keeps its log in
 * memory for its own readers and copies it to a Redis Stream (one pipeline per event-loop
 * turn); other instances read it from there. Cancel requests and reader counts travel on a
 * per-stream pub/sub channel to the generator, whose lease (renewed by one timer for all
 * its streams) tells readers elsewhere that it is alive. When Redis comes back after an
 * outage or a restart, every local log writes what Redis lacks.
 */
export class RedisStreamStore implements StreamStore {
  readonly #instance = randomUUID();
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;
  readonly #logger: Logger;
  readonly #connections: RedisConnections;
  readonly #batcher: RedisAppendBatcher;
  readonly #control: RedisControl;
  readonly #local = new Map<string, RedisWritableLog>();
  readonly #remote: RemoteStreamViews;
  readonly #expiries = new Set<NodeJS.Timeout>();
  /** Ended local logs kept compacted, and their bytes. */
  #retainedStreams = 0;
  #retainedBytes = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #writerContext: Omit<RedisLogWriterContext, "requestKey">;
  #closed = false;

  constructor(options: RedisStreamStoreOptions) {
    const leaseMs = options.leaseMs ?? 5000;
    const blockMs = Math.max(50, Math.round(leaseMs / 2));
    this.#keys = new RedisKeys(options.keyPrefix ?? "sluice:");
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#logger = options.logger;
    this.#connections = new RedisConnections({
      url: options.url,
      commandTimeoutMs: Math.max(1000, leaseMs),
      blockMs,
      leaseMs,
      logger: options.logger,
    });
    const { client, subscriber, pool } = this.#connections;
    this.#batcher = new RedisAppendBatcher(client, options.onAppendLatency);
    this.#control = new RedisControl({
      client,
      subscriber,
      keys: this.#keys,
      instance: this.#instance,
      logger: options.logger,
      listening: () => this.#runningIds(),
      readersElsewhere: (id, instance, count) =>
        this.#local.get(id)?.readers.setElsewhere(instance, count, Date.now()),
    });
    // After a reconnect Redis may have lost everything (a restart without persistence).
    client.on("ready", () => {
      for (const log of this.#local.values()) void log.writer.resync(client);
    });
    this.#writerContext = {
      keys: this.#keys,
      instance: this.#instance,
      ttlMs: this.#ttlMs,
      leaseMs,
      schedule: (writer) => this.#batcher.schedule(writer),
      outOfSync: (writer) => {
        if (client.status === "ready") void writer.resync(client);
      },
      abandoned: (id) => {
        this.#logger.warn({ stream: id }, "stream ended elsewhere after its lease lapsed");
        this.#control.cancelLocally(id);
      },
    };
    this.#remote = new RemoteStreamViews(
      { client, pool, keys: this.#keys, blockMs, ttlMs: this.#ttlMs },
      this.#control,
    );
    this.#timer = setInterval(() => this.#tick(), Math.max(10, Math.floor(leaseMs / 3)));
    this.#timer.unref();
  }

  /** Round trips spent on appends so far: one pipeline per event-loop turn with appends. */
  appendPipelines(): number {
    return this.#batcher.pipelines;
  }

  /** Bytes held in this process by ended streams kept for resuming, and how many there are. */
  retained(): { bytes: number; streams: number } {
    return { bytes: this.#retainedBytes, streams: this.#retainedStreams };
  }

  async create(options: CreateStreamOptions): Promise<WritableStreamLog> {
    const retain = options.retain !== false;
    const memory = new MemoryStreamLog(newStreamId(), options.owner, (ended) =>
      this.#ended(ended, retain),
    );
    const log = new RedisWritableLog(memory, {
      ...this.#writerContext,
      requestKey: options.requestKey,
    });
    this.#local.set(log.id, log);
    // Registered before anyone learns the id, so that any instance can open it at once.
    await Promise.all([log.writer.resync(this.#connections.client), this.#control.listen(log.id)]);
    if (!log.writer.synced) {
      this.#logger.warn({ stream: log.id }, "the stream runs here only until Redis is back");
    }
    return log;
  }

  async open(id: string, signal: AbortSignal): Promise<StreamLog | undefined> {
    const local = this.#local.get(id);
    if (local) return local;
    const remote = await this.#remote.open(id);
    signal.throwIfAborted();
    return remote;
  }

  async claim(key: string, ttlMs: number): Promise<(() => void) | undefined> {
    const { client } = this.#connections;
    const name = this.#keys.claim(key);
    const token = randomUUID();
    const reply = await orUnavailable(client.set(name, token, "PX", ttlMs, "NX"));
    if (reply !== "OK") return undefined;
    // Only its holder's release deletes the claim: one that outlived its ttl is someone else's.
    return () => void client.eval(releaseClaimLua, 1, name, token).catch(() => undefined);
  }

  async findByRequestKey(requestKey: string, signal: AbortSignal): Promise<string | undefined> {
    const id = await orUnavailable(this.#connections.client.get(this.#keys.request(requestKey)));
    signal.throwIfAborted();
    return id ?? undefined;
  }

  async requestCancel(id: string): Promise<void> {
    await orUnavailable(this.#control.requestCancel(id));
  }

  onCancelRequest(handler: (id: string) => void): void {
    this.#control.onCancel(handler);
  }

  ready(signal: AbortSignal): Promise<boolean> {
    return this.#connections.ready(signal);
  }

  /** Resolves true once Redis is reachable, or false when `signal` aborts first. */
  whenReady(signal: AbortSignal): Promise<boolean> {
    return this.#connections.whenReady(signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const expiry of this.#expiries) clearTimeout(expiry);
    this.#expiries.clear();
    this.#retainedStreams = 0;
    this.#retainedBytes = 0;
    await this.#batcher.drain();
    await this.#connections.close();
    this.#local.clear();
    this.#remote.clear();
  }

  *#runningIds(): Iterable<string> {
    for (const log of this.#local.values()) if (log.state() === "running") yield log.id;
  }

  /**
   * An ended stream's local copy: Redis has it for the other instances, and this one keeps it
   * compacted (see `MemoryStreamLog.compact`: about its text, not an object and a frame per
   * event) for its own resumes and for re-writing it should Redis lose it (a restart without
   * persistence) within the retention time. A stream no client can resume (`retain` false)
   * keeps no local copy once Redis has it all; one Redis does not have yet stays to be re-synced.
   */
  #ended(log: MemoryStreamLog, retain: boolean): void {
    const { id } = log;
    this.#control.forget(id);
    // After the readers woken by the terminal event have read it (their wake is queued first).
    setImmediate(() => {
      if (this.#closed) return;
      const local = this.#local.get(id);
      if (!retain && local?.writer.synced) {
        this.#local.delete(id);
        return;
      }
      const bytes = log.compact();
      this.#retainedStreams += 1;
      this.#retainedBytes += bytes;
      const expiry = setTimeout(() => {
        this.#expiries.delete(expiry);
        this.#local.delete(id);
        this.#retainedStreams -= 1;
        this.#retainedBytes -= bytes;
      }, this.#ttlMs);
      expiry.unref();
      this.#expiries.add(expiry);
    });
  }

  /**
   * Every third of a lease, in one pipeline: renews the leases and expiries of local
   * streams and reports this instance's readers of remote ones. Also retries logs out of
   * sync, forgets silent readers elsewhere, and drops remote views nobody here reads.
   */
  #tick(): void {
    const { client } = this.#connections;
    const ready = client.status === "ready";
    const pipeline = client.pipeline();
    const now = Date.now();
    for (const log of this.#local.values()) {
      log.readers.expire(now);
      log.writer.renew(pipeline, now);
      if (ready && !log.writer.synced) void log.writer.resync(client);
    }
    this.#remote.tick(pipeline);
    if (ready && pipeline.length > 0) void pipeline.exec();
  }
}
