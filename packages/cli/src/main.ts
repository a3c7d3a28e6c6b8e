import { runBenchCommand } from "@sluice/bench";
import { runMockCommand } from "@sluice/mock";
import { runServeCommand } from "@sluice/server";

const usage = `Usage: sluice <command> [options]

Commands:
  serve   start the gateway (PORT, HOST and the other settings come from the environment)
  mock    start the upstream simulator (OpenAI and Anthropic wire formats)
  bench   load-test a streaming endpoint

Run "sluice <command> --help" for a command's options.`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve: runServeCommand,
  mock: runMockCommand,
  bench: runBenchCommand,
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  const asked = !name || name === "--help" || name === "-h" || name === "help";
  if (asked) {
    process.stdout.write(`${usage}\n`);
  } else {
    process.stderr.write(`sluice: unknown command "${name}"\n\n${usage}\n`);
    process.exitCode = 2;
  }
} else {
  await command(rest);
}
