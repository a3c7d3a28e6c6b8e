import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import getPort from "get-port";

/** Debian's nginx package puts its binary here. */
export const nginxBinary = "/usr/sbin/nginx";

export interface NginxOptions {
  /** Where to proxy to, e.g. `http://127.0.0.1:8787`. */
  upstream: string;
  /** nginx's `proxy_read_timeout`: how long the upstream may stay silent. Default 60s. */
  readTimeout?: string;
  /**
   * Ignore the upstream's `X-Accel-Buffering` header, so that nginx's default
   * `proxy_buffering on` applies to the stream. Default false.
   */
  ignoreAccelBuffering?: boolean;
}

export interface RunningNginx {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** What nginx wrote to its error log, for failure messages. */
  errors(): string;
  /** Stops nginx by its PID and waits for it to exit; removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground (`daemon off`) as a reverse proxy with the package's defaults
 * (`proxy_buffering on`, HTTP/1.0 to the upstream, so that a response is not chunked: nginx
 * passes on a chunked response's partial buffers early, which would hide buffering), on a free port, with its own prefix directory, config, temp paths
 * and PID file under a new temporary directory. Resolves once it accepts connections.
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const directory = await mkdtemp(join(tmpdir(), "sluice-nginx-"));
  // Workers run as an unprivileged user when the tests run as root; they create temp files here.
  await chmod(directory, 0o755);
  const port = await getPort({ host: "127.0.0.1" });
  const errorLog = join(directory, "error.log");
  const config = `
worker_processes 1;
pid ${join(directory, "nginx.pid")};
error_log ${errorLog} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${join(directory, "client-body")};
  proxy_temp_path ${join(directory, "proxy")};
  fastcgi_temp_path ${join(directory, "fastcgi")};
  uwsgi_temp_path ${join(directory, "uwsgi")};
  scgi_temp_path ${join(directory, "scgi")};
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${options.upstream};
      proxy_read_timeout ${options.readTimeout ?? "60s"};
      ${options.ignoreAccelBuffering ? "proxy_ignore_headers X-Accel-Buffering;" : ""}
    }
  }
}
`;
  const configPath = join(directory, "nginx.conf");
  await writeFile(configPath, config);
  const child = spawn(
    nginxBinary,
    ["-p", directory, "-e", errorLog, "-c", configPath, "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await untilListening(port, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errors: () => stderr + (existsSync(errorLog) ? readFileSync(errorLog, "utf8") : ""),
    stop,
  };
}

/** Polls the port (every 20 ms, for at most 5 s) until it accepts a connection. */
async function untilListening(
  port: number,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = performance.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited with ${child.exitCode}: ${stderr()}`);
    }
    if (await accepts(port)) return;
    if (performance.now() > deadline) throw new Error(`nginx did not listen: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
