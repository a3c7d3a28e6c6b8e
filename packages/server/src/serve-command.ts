import { parseArgs } from "node:util";
import { buildApp } from "./app.js";
import { type Config, loadConfig } from "./config.js";

const help = `Usage: sluice serve

Starts the gateway. Settings come from the environment (see the README): PORT (8787),
HOST (127.0.0.1), OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
DEFAULT_MODEL, REDIS_URL, SLUICE_API_KEYS, CORS_ORIGINS, HEARTBEAT_MS, STREAM_GRACE_MS, ...
SLUICE_CONFIG names a YAML or JSON file of provider instances and model aliases.
With no provider key, the built-in demo model answers.`;

/** `sluice serve`: starts the gateway and shuts it down gracefully on SIGTERM or SIGINT. */
export async function runServeCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    // A configuration mistake is the operator's to fix: its message, not a stack trace.
    process.stderr.write(`sluice serve: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const app = await buildApp(config);
  // Thousands of clients may connect in one burst; Node's default queue of 511 drops the rest.
  const address = await app.fastify.listen({ port: config.PORT, host: config.HOST, backlog: 4096 });
  const providers = [
    config.OPENAI_API_KEY ? `openai (${config.OPENAI_BASE_URL ?? "api.openai.com"})` : undefined,
    config.ANTHROPIC_API_KEY ? "anthropic" : undefined,
    ...(config.routing?.providers ?? []).map(
      (instance) =>
        `${instance.name} (${instance.type}${instance.baseURL ? `, ${instance.baseURL}` : ""})`,
    ),
  ].filter(Boolean);
  const aliases = config.routing?.aliases.map((alias) => alias.name);
  app.fastify.log.info(
    {
      address,
      providers,
      ...(aliases ? { aliases, config: config.routing?.file } : {}),
      store: config.REDIS_URL ? "redis" : "memory",
    },
    providers.length === 0
      ? `Sluice is listening on ${address} with the built-in demo model (no provider key set)`
      : `Sluice is listening on ${address}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.fastify.log.info({ signal }, "shutting down: finishing open streams");
    app.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        app.fastify.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
