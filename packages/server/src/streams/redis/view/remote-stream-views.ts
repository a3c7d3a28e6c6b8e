import type { ChainableCommander } from "ioredis";
import type { RedisControl } from "../redis-control.js";
import type { RemoteFollowContext } from "./follow-remote-stream.js";
import { readRedisSnapshot } from "./redis-snapshot.js";
import { RemoteStreamView, type RemoteStreamViewContext } from "./remote-stream-view.js";

/**
 * The views of streams other instances generate, one per stream while anyone here reads it,
 * so that its readers share one cache and one follow loop; this instance's reader counts go
 * to each stream's generator.
 */
export class RemoteStreamViews {
  readonly #views = new Map<string, RemoteStreamView>();
  readonly #control: RedisControl;
  readonly #context: RemoteStreamViewContext;

  constructor(context: RemoteFollowContext, control: RedisControl) {
    this.#control = control;
    this.#context = {
      ...context,
      readersChanged: (log, count) => {
        if (log.state() === "running") control.reportReaders(log.id, count);
      },
    };
  }

  /** The view of a stream, fresh from Redis; undefined when Redis does not know it. */
  async open(id: string): Promise<RemoteStreamView | undefined> {
    const snapshot = await readRedisSnapshot(this.#context.client, this.#context.keys, id);
    if (!snapshot) return undefined;
    const shared = this.#views.get(id);
    if (shared) {
      shared.observe(snapshot);
      return shared;
    }
    const log = new RemoteStreamView(snapshot, this.#context);
    this.#views.set(id, log);
    return log;
  }

  /**
   * Queues this instance's reader counts of running streams (their generators forget
   * counts not renewed within a lease), and drops the views nobody here reads.
   */
  tick(pipeline: ChainableCommander): void {
    for (const [id, log] of this.#views) {
      const readers = log.readers();
      if (readers === 0) this.#views.delete(id);
      else if (log.state() === "running") this.#control.queueReaders(pipeline, id, readers);
    }
  }

  clear(): void {
    this.#views.clear();
  }
}
