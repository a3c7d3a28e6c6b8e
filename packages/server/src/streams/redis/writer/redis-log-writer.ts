import { isTerminal } from "@sluice/protocol";
import type { ChainableCommander, Redis } from "ioredis";
import type { LogEntry } from "../../log-event.js";
import { MemoryLogEntry } from "../../memory-log-entry.js";
import type { MemoryStreamLog } from "../../memory-stream-log.js";
import { entryId, seqOf } from "../redis-entry.js";
import type { RedisKeys } from "../redis-keys.js";
import { queueAppend } from "../redis-scripts.js";

/** What a log writer needs from its store. */
export interface RedisLogWriterContext {
  keys: RedisKeys;
  /** This instance's id, recorded as the stream's generator. */
  instance: string;
  ttlMs: number;
  leaseMs: number;
  requestKey: string | undefined;
  /** Queues the writer for the store's next flush (one pipeline per event-loop turn). */
  schedule(writer: RedisLogWriter): void;
  /** A write failed or was refused: the store re-syncs the writer as soon as Redis allows. */
  outOfSync(writer: RedisLogWriter): void;
  /** Redis holds events this instance did not write: the stream was ended elsewhere. */
  abandoned(id: string): void;
}

const alwaysOpen = new AbortController().signal;
/** Events per append script, so that a long stream's re-sync sends bounded commands. */
const batchLimit = 1000;

/**
 * Copies the log of a stream this instance generates to Redis, for the other instances:
 * one batch per event-loop turn, sent in the turn (not after the previous batch's reply),
 * so that Redis has every entry before this instance's readers are woken to send it. A batch
 * only lands if it continues the stream exactly, so a failed batch makes the ones after it
 * fail too, never leave a gap. The writer is then out of sync until {@link resync} writes
 * what Redis lacks; the run never waits for Redis.
 */
export class RedisLogWriter {
  readonly #memory: MemoryStreamLog;
  readonly #context: RedisLogWriterContext;
  /** Appended, not yet handed to Redis: bounded by the stream's own output. */
  #pending: LogEntry[] = [];
  #sentSeq = 0;
  #queued = false;
  /** Batches sent and not yet answered. */
  #inFlight = 0;
  #synced = false;
  #resyncing = false;
  #abandoned = false;
  /** When {@link renew} last extended the keys' expiry (ms, `Date.now()`); 0 before it did. */
  #expiryRenewedAt = 0;

  constructor(memory: MemoryStreamLog, context: RedisLogWriterContext) {
    this.#memory = memory;
    this.#context = context;
  }

  get id(): string {
    return this.#memory.id;
  }

  /** Whether Redis is known to hold everything handed to it (or need not: abandoned). */
  get synced(): boolean {
    return this.#synced || this.#abandoned;
  }

  /**
   * Asks for a flush this turn. Called before each append to the memory log, so that the
   * batch leaves for Redis before that log wakes its readers: a client that resumes
   * elsewhere finds there what it was sent here.
   */
  scheduleFlush(): void {
    if (this.#queued || this.#abandoned) return;
    this.#queued = true;
    this.#context.schedule(this);
  }

  /** Queues an entry just appended to the memory log for the flush. */
  push(entry: LogEntry): void {
    if (!this.#abandoned) this.#pending.push(entry);
  }

  /** Adds the commands for the pending events to the turn's pipeline; returns how many. */
  writeTo(pipeline: ChainableCommander): number {
    this.#queued = false;
    const pending = this.#pending;
    const last = pending.at(-1);
    if (!last || !this.#synced || this.#abandoned) return 0;
    this.#queueAppend(pipeline, this.#sentSeq, pending);
    let commands = 1;
    if (this.#memory.state() !== "running" && this.#context.requestKey) {
      pipeline.pexpire(this.#context.keys.request(this.#context.requestKey), this.#context.ttlMs);
      commands += 1;
    }
    this.#sentSeq = last.seq;
    this.#pending = [];
    this.#inFlight += 1;
    return commands;
  }

  /** The replies to what {@link writeTo} added: any failure puts the log out of sync. */
  written(results: readonly [Error | null, unknown][] | undefined): void {
    this.#inFlight -= 1;
    if (!results || results[0]?.[0] || results[0]?.[1] !== 1) {
      this.#synced = false;
      this.#context.outOfSync(this);
      return;
    }
    this.#scheduleIfPending();
  }

  /**
   * Extends the lease, and the keys' expiry when a quarter of the retention time has passed
   * since it last did (the expiry is a lease longer than the retention time: extending it every
   * tick sent three commands more per stream for nothing); a no-op unless running and in sync.
   */
  renew(pipeline: ChainableCommander, now: number): void {
    if (this.#memory.state() !== "running" || !this.#synced || this.#abandoned) return;
    const { keys, instance, leaseMs, requestKey, ttlMs } = this.#context;
    pipeline.set(keys.lease(this.id), instance, "PX", leaseMs);
    if (now - this.#expiryRenewedAt < ttlMs / 4) return;
    this.#expiryRenewedAt = now;
    const expiryMs = this.#expiryMs();
    pipeline.pexpire(keys.log(this.id), expiryMs).pexpire(keys.meta(this.id), expiryMs);
    if (requestKey) pipeline.pexpire(keys.request(requestKey), expiryMs);
  }

  /**
   * Writes what Redis lacks: lease, meta, request key, the entries after Redis's last one,
   * expiry. The first call registers a new stream. If Redis holds an entry this instance did
   * not write (another instance ended the stream when the lease lapsed), the log is abandoned.
   */
  async resync(client: Redis): Promise<void> {
    if (this.#abandoned || this.#inFlight > 0 || this.#resyncing) return;
    this.#resyncing = true;
    this.#synced = false;
    try {
      const { keys, instance, leaseMs, requestKey } = this.#context;
      const fresh = this.#sentSeq === 0 && this.#pending.length === 0;
      const redisLast = fresh ? 0 : await this.#redisLast(client);
      if (redisLast === undefined) return this.#abandon();
      const missing =
        redisLast < this.#memory.lastSeq()
          ? await this.#memory.readAfter(redisLast, alwaysOpen)
          : [];
      const running = this.#memory.state() === "running";
      const expiryMs = this.#expiryMs();
      const pipeline = client.pipeline();
      // The lease first: a reader elsewhere that sees the meta must also see the lease.
      if (running) pipeline.set(keys.lease(this.id), instance, "PX", leaseMs);
      const state = missing.length > 0 ? "running" : this.#memory.state();
      pipeline.hset(keys.meta(this.id), { owner: this.#memory.owner, instance, state });
      pipeline.pexpire(keys.meta(this.id), expiryMs);
      if (requestKey) pipeline.set(keys.request(requestKey), this.id, "PX", expiryMs);
      const appendsFrom = pipeline.length;
      for (let start = 0; start === 0 || start < missing.length; start += batchLimit) {
        this.#queueAppend(pipeline, redisLast + start, missing.slice(start, start + batchLimit));
      }
      const results = await pipeline.exec();
      const appended = results?.every(
        ([error, reply], index) => !error && (index < appendsFrom || reply === 1),
      );
      if (!appended) return;
      const syncedSeq = missing.at(-1)?.seq ?? redisLast;
      this.#sentSeq = syncedSeq;
      this.#pending = this.#pending.filter((entry) => entry.seq > syncedSeq);
      this.#synced = true;
      this.#scheduleIfPending();
    } catch {
      // Still out of sync: the store tries again on its next tick or reconnect.
    } finally {
      this.#resyncing = false;
    }
  }

  /** Redis's last seq, or undefined when that entry is not the one this instance holds. */
  async #redisLast(client: Redis): Promise<number | undefined> {
    const [top] = await client.xrevrange(this.#context.keys.log(this.id), "+", "-", "COUNT", 1);
    if (!top) return 0;
    const seq = seqOf(top[0]);
    if (seq > this.#memory.lastSeq()) return undefined;
    const [own] = await this.#memory.readAfter(seq - 1, alwaysOpen);
    return own && top[1][1] === JSON.stringify(own.event) && top[0] === entryId(seq)
      ? seq
      : undefined;
  }

  #abandon(): void {
    this.#abandoned = true;
    this.#pending = [];
    this.#context.abandoned(this.id);
  }

  /** Queues one append script for `entries` (maybe none: it then only sets the expiry). */
  #queueAppend(pipeline: ChainableCommander, after: number, entries: readonly LogEntry[]): void {
    const event = entries.at(-1)?.event;
    const ends = event && isTerminal(event) ? event.type : undefined;
    queueAppend(pipeline, this.#context.keys, this.id, {
      after,
      // A memory log's entry makes its JSON once, shared with the frame its native readers send.
      events: entries.map((entry) =>
        entry instanceof MemoryLogEntry ? entry.json : JSON.stringify(entry.event),
      ),
      ends,
      expiryMs: this.#expiryMs(),
    });
  }

  #scheduleIfPending(): void {
    if (this.#pending.length > 0) this.scheduleFlush();
  }

  /**
   * Ended streams are kept for the retention time; running ones a lease longer, renewed by
   * every tick, so that the keys of a generator that died without a word still expire.
   */
  #expiryMs(): number {
    const { ttlMs, leaseMs } = this.#context;
    return this.#memory.state() === "running" ? ttlMs + leaseMs : ttlMs;
  }
}
