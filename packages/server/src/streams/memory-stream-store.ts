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
}

/** Stream logs in this process's memory; an ended log is dropped `ttlMs` after its end. */
export class MemoryStreamStore implements StreamStore {
  readonly #ttlMs: number;
  readonly #logs = new Map<string, MemoryStreamLog>();
  readonly #requestKeys = new Map<string, string>();
  readonly #expiries = new Set<NodeJS.Timeout>();
  #cancelHandler: ((id: string) => void) | undefined;

  constructor(options: MemoryStreamStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  async create(options: CreateStreamOptions): Promise<WritableStreamLog> {
    const { requestKey } = options;
    const log = new MemoryStreamLog(newStreamId(), options.owner, (ended) => {
      const expiry = setTimeout(() => {
        this.#expiries.delete(expiry);
        this.#logs.delete(ended.id);
        if (requestKey && this.#requestKeys.get(requestKey) === ended.id) {
          this.#requestKeys.delete(requestKey);
        }
      }, this.#ttlMs);
      expiry.unref();
      this.#expiries.add(expiry);
    });
    this.#logs.set(log.id, log);
    if (requestKey) this.#requestKeys.set(requestKey, log.id);
    return log;
  }

  async open(id: string): Promise<StreamLog | undefined> {
    return this.#logs.get(id);
  }

  async findByRequestKey(requestKey: string): Promise<string | undefined> {
    return this.#requestKeys.get(requestKey);
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
    for (const expiry of this.#expiries) clearTimeout(expiry);
    this.#expiries.clear();
    this.#logs.clear();
    this.#requestKeys.clear();
  }
}
