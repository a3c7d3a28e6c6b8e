import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import getPort from "get-port";

/** Where the tests find `redis-server` (override with `REDIS_SERVER`). */
const binary = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

/**
 * Why the Redis tests cannot run here, or undefined when they can. On CI a missing binary
 * throws instead: a test that could not run has failed.
 */
export function redisSkipReason(): string | undefined {
  if (existsSync(binary)) return undefined;
  const message = `redis-server is not installed at ${binary} (set REDIS_SERVER to its path)`;
  if (process.env.CI === "true") throw new Error(`${message}; CI must run the Redis tests.`);
  return `${message}: skipping the Redis tests`;
}

export interface RedisServer {
  url: string;
  port: number;
  /** The process id of the current redis-server. */
  readonly pid: number;
  /** Kills redis-server (SIGKILL, as a crash would) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and starts a new, empty one on the same port (no persistence). */
  restart(): Promise<void>;
}

/** Starts an empty redis-server without persistence on a free port of 127.0.0.1. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await getPort({ host: "127.0.0.1" });
  let child = await spawnRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    stop: () => kill(child),
    async restart() {
      await kill(child);
      child = await spawnRedis(port);
    },
  };
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<never>((_resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`redis-server exited early (code ${code}, signal ${signal})`)),
    );
  });
  // Once started, its exit is expected (stop, restart); only the start awaits this.
  exited.catch(() => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await Promise.race([answersPing(port), exited])) return child;
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let reply = "";
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  return exited;
}
