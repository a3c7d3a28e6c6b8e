import { randomBytes } from "node:crypto";
import { MemoryStreamLog } from "./memory-stream-log.js";
import type { StreamLog, WritableStreamLog } from "./stream-log.js";
import type { CreateStreamOptions, StreamStore } from "./stream-store.js";

/** 18 random bytes: 144 bits, 24 base64url characters. */
export function newStreamId(): string {
  return randomBytes(18).toString("base64url");
}

export interface MemoryStreamStoreOptions {
  /** How long an ended stream stays readable, in ms (default 5 minutes). */
  ttlMs?: number;
  /**
   * The most bytes ended streams kept for resuming may hold in all (default 256 MiB); past
   * it, the oldest are let go first, and resuming one is answered like an expired stream.
   */
  retainBytes?: number;
}

/**
 * Stream logs in this process's memory. An ended log is compacted (see
 * `MemoryStreamLog.compact`) and dropped `ttlMs` after its end, or sooner when the retained
 * logs exceed `retainBytes`; a log created with `retain: false` is dropped at its end.
 */
export class MemoryStreamStore implements StreamStore {
  readonly #ttlMs: number;
  readonly #retainBytes: number;
  readonly #logs = new Map<string, MemoryStreamLog>();
  readonly #requestKeys = new Map<string, string>();
  readonly #claims = new Set<string>();
  /** Ended logs kept for resuming, oldest first, with their size and expiry. */
  readonly #retained = new Map<string, { bytes: number; expiry: NodeJS.Timeout }>();
  #retainedBytes = 0;
  #cancelHandler: ((id: string) => void) | undefined;

  constructor(options: MemoryStreamStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#retainBytes = options.retainBytes ?? 256 * 1024 * 1024;
  }

  /** Bytes held by ended streams kept for resuming, and how many there are. */
  retained(): { bytes: number; streams: number } {
    return { bytes: this.#retainedBytes, streams: this.#retained.size };
  }

  async create(options: CreateStreamOptions): Promise<WritableStreamLog> {
    const { requestKey } = options;
    const log = new MemoryStreamLog(newStreamId(), options.owner, (ended) => {
      if (options.retain === false) {
        this.#drop(ended.id, requestKey);
        return;
      }
      // After the readers woken by the terminal event have read it (their wake is queued
      // first), so that they read the entries as they are, not rebuilt.
      setImmediate(() => this.#retain(ended, requestKey));
    });
    this.#logs.set(log.id, log);
    if (requestKey) this.#requestKeys.set(requestKey, log.id);
    return log;
  }

  #retain(log: MemoryStreamLog, requestKey: string | undefined): void {
    if (this.#logs.get(log.id) !== log) return;
    const bytes = log.compact();
    const expiry = setTimeout(() => this.#drop(log.id, requestKey), this.#ttlMs);
    expiry.unref();
    this.#retained.set(log.id, { bytes, expiry });
    this.#retainedBytes += bytes;
    for (const [id] of this.#retained) {
      if (this.#retainedBytes <= this.#retainBytes) break;
      this.#drop(id, undefined);
    }
  }

  #drop(id: string, requestKey: string | undefined): void {
    this.#logs.delete(id);
    const retained = this.#retained.get(id);
    if (retained) {
      clearTimeout(retained.expiry);
      this.#retainedBytes -= retained.bytes;
      this.#retained.delete(id);
    }
    if (requestKey && this.#requestKeys.get(requestKey) === id)
      this.#requestKeys.delete(requestKey);
  }

  async open(id: string): Promise<StreamLog | undefined> {
    return this.#logs.get(id);
  }

  async findByRequestKey(requestKey: string): Promise<string | undefined> {
    return this.#requestKeys.get(requestKey);
  }

  async claim(key: string): Promise<(() => void) | undefined> {
    if (this.#claims.has(key)) return undefined;
    this.#claims.add(key);
    return () => {
      this.#claims.delete(key);
    };
  }

  async requestCancel(id: string): Promise<void> {
    this.#cancelHandler?.(id);
  }

  onCancelRequest(handler: (id: string) => void): void {
    this.#cancelHandler = handler;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    for (const { expiry } of this.#retained.values()) clearTimeout(expiry);
    this.#retained.clear();
    this.#retainedBytes = 0;
    this.#logs.clear();
    this.#requestKeys.clear();
  }
}
