import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import getPort from "get-port";

const script = fileURLToPath(new URL("./serve-gateway.ts", import.meta.url));

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A gateway running as its own Node process (`sluice serve`). */
export interface GatewayProcess {
  url: string;
  port: number;
  pid: number;
  /** Settles when the process has exited. */
  exited: Promise<ProcessExit>;
  /** What the process wrote to stderr, for failure messages. */
  stderr(): string;
  /** Sends `signal` to the process (by PID). */
  signal(signal: NodeJS.Signals): void;
  /** Kills the process by PID (SIGKILL) unless it has exited, and waits for its exit. */
  stop(): Promise<ProcessExit>;
}

/**
 * Spawns `node --import tsx` on a script that calls `runServeCommand([])`, with PORT (a free
 * one), HOST 127.0.0.1, LOG_LEVEL silent and `environment` on top of this process's
 * environment; resolves once `GET /healthz` answers 200 (polled every 50 ms, for at most 20 s).
 */
export async function startGatewayProcess(
  environment: Record<string, string> = {},
): Promise<GatewayProcess> {
  const port = await getPort({ host: "127.0.0.1" });
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ...environment,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const gateway: GatewayProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    exited,
    stderr: () => stderr,
    signal: (signal) => {
      if (running()) process.kill(gateway.pid, signal);
    },
    stop: async () => {
      gateway.signal("SIGKILL");
      return exited;
    },
  };
  try {
    await untilHealthy(gateway, child);
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return gateway;
}

async function untilHealthy(gateway: GatewayProcess, child: ChildProcess): Promise<void> {
  // A child compiling the TypeScript source on a loaded CI machine has been seen to take over 20 s.
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway exited with ${child.exitCode}: ${gateway.stderr()}`);
    }
    const healthy = await fetch(`${gateway.url}/healthz`).then(
      async (response) => (await response.arrayBuffer()) && response.ok,
      () => false,
    );
    if (healthy) return;
    if (performance.now() > deadline) {
      throw new Error(`the gateway did not become healthy: ${gateway.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
