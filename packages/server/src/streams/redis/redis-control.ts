import type { ChainableCommander, Redis } from "ioredis";
import type { Logger } from "pino";
import type { RedisKeys } from "./redis-keys.js";

export interface RedisControlOptions {
  client: Redis;
  /** A connection of its own: one in subscriber mode serves nothing else. */
  subscriber: Redis;
  keys: RedisKeys;
  /** This instance's id, so that it ignores its own reader reports. */
  instance: string;
  logger: Logger;
  /** The running local streams, whose channels are listened to again after a reconnect. */
  listening(): Iterable<string>;
  /** Another instance reports how many readers it has of a local stream. */
  readersElsewhere(id: string, instance: string, count: number): void;
}

const cancelMessage = "cancel";
const readersMessage = /^readers (\S+) (\d+)$/;

/**
 * The control channels of streams: each running stream's generator listens on its own
 * channel (so a message reaches one instance, not all), where others send `cancel` and
 * `readers <instance> <count>`, the latter renewed every tick while they have readers.
 */
export class RedisControl {
  readonly #options: RedisControlOptions;
  #cancelHandler: ((id: string) => void) | undefined;

  constructor(options: RedisControlOptions) {
    this.#options = options;
    const { subscriber, keys } = options;
    subscriber.on("message", (channel: string, message: string) =>
      this.#received(channel, message),
    );
    subscriber.on("ready", () => {
      const channels = [...options.listening()].map((id) => keys.control(id));
      if (channels.length > 0) subscriber.subscribe(...channels).catch(() => {});
    });
  }

  ready(): boolean {
    return this.#options.subscriber.status === "ready";
  }

  /** Starts listening for a new local stream; a failure is retried when the subscriber reconnects. */
  async listen(id: string): Promise<void> {
    await this.#options.subscriber.subscribe(this.#options.keys.control(id)).catch(() => {});
  }

  /** Stops listening for a stream that ended. */
  forget(id: string): void {
    this.#options.subscriber.unsubscribe(this.#options.keys.control(id)).catch(() => {});
  }

  onCancel(handler: (id: string) => void): void {
    this.#cancelHandler = handler;
  }

  /** Cancels a local stream, as if its generator had been asked to. */
  cancelLocally(id: string): void {
    this.#cancelHandler?.(id);
  }

  /** Asks the generator of a stream to cancel it. */
  async requestCancel(id: string): Promise<void> {
    const heard = await this.#options.client.publish(this.#options.keys.control(id), cancelMessage);
    if (heard === 0) this.#options.logger.debug({ stream: id }, "no instance heard the cancel");
  }

  /** Tells a stream's generator how many readers this instance has of it now. */
  reportReaders(id: string, count: number): void {
    const { client, keys, instance } = this.#options;
    client.publish(keys.control(id), `readers ${instance} ${count}`).catch(() => {});
  }

  /** The same, queued on a tick's pipeline. */
  queueReaders(pipeline: ChainableCommander, id: string, count: number): void {
    const { keys, instance } = this.#options;
    pipeline.publish(keys.control(id), `readers ${instance} ${count}`);
  }

  #received(channel: string, message: string): void {
    const id = this.#options.keys.idOfControl(channel);
    if (id === undefined) return;
    if (message === cancelMessage) {
      this.#cancelHandler?.(id);
      return;
    }
    const match = readersMessage.exec(message);
    if (match?.[1] && match[1] !== this.#options.instance) {
      this.#options.readersElsewhere(id, match[1], Number(match[2]));
    }
  }
}
