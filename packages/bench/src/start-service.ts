import { type ChildProcess, execFileSync, spawn } from "node:child_process";

export interface ServiceOptions {
  /** Arguments to `node` (the script and its arguments). */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Polled until it answers 2xx: the service is up. */
  readyUrl: URL;
  /** Pin the process to this CPU with `taskset`; null runs it anywhere. */
  cpu: number | null;
  /** Give up on start-up after this long. Default 90 s (tsx compiles the sources first). */
  startTimeoutMs?: number;
  signal: AbortSignal;
}

/** A child process serving HTTP: its pid (for sampling), and a way to stop it. */
export interface Service {
  pid: number;
  /** Whether it runs pinned to one CPU. */
  pinned: boolean;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 15 s). */
  stop(graceMs?: number): Promise<void>;
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function answers(url: URL, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts a Node process (the gateway or the mock) for the benchmark suite, pinned to a CPU when
 * asked, and resolves once `readyUrl` answers; rejects with the tail of its stderr if it exits or
 * does not answer in time. Its stdout is discarded, so its logs cost what they cost in production
 * without filling a pipe.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const pinned = options.cpu !== null && hasTaskset();
  // taskset execs node in its own place, so the pid is node's (for sampling) and every thread
  // node starts inherits the CPU.
  const command = pinned ? "taskset" : process.execPath;
  const args = pinned
    ? ["-c", String(options.cpu), process.execPath, ...options.args]
    : options.args;
  const child = spawn(command, args, { env: options.env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const stop = async (graceMs = 15_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = performance.now() + (options.startTimeoutMs ?? 90_000);
  while (!(await answers(options.readyUrl, options.signal))) {
    if (child.exitCode !== null || options.signal.aborted || performance.now() > deadline) {
      await stop(1000);
      throw new Error(
        `${options.args.join(" ")} did not start (${options.readyUrl.href}):\n${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { pid: child.pid as number, pinned, stop };
}
