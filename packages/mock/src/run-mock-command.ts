import { parseArgs } from "node:util";
import { parseMockKnobs } from "./mock-knobs.js";
import { startMock } from "./start-mock.js";

const usage = `Usage: sluice mock [options]

Starts a simulated LLM upstream that speaks OpenAI's Chat Completions
(POST /v1/chat/completions) and Anthropic's Messages (POST /v1/messages).

Options (each knob also works per request, after "?" in the model name or in
the x-mock header, e.g. model "mock?tokens=200&fault=drop&after=7"):
  --port N          port to listen on (default 8790; 0 picks a free one)
  --host H          address to listen on (default 127.0.0.1)
  --ttft MS         milliseconds before the first token (default 20)
  --gap MS          milliseconds between tokens (default 5)
  --jitter F        spread of each gap, 0 to 1 (default 0)
  --tokens N        tokens per answer (default 40)
  --seed N          seed of the text and the jitter (default 1)
  --json            answer with a JSON object
  --tool            answer with a call of the first tool, when the request has tools
  --ping MS         Anthropic: ping whenever nothing was sent for MS
  --usage 0         never report usage
  --fault F         429, 500, 503, 529, drop, stall, error, content_filter
  --after N         tokens before a drop, stall, error or content_filter fault (default 0)
  --times N         requests that get the fault before one succeeds (default: all)
  --retry-after S   seconds in a 429's retry-after header (default 1)
  --help            show this text`;

const knobFlags = [
  "ttft",
  "gap",
  "jitter",
  "tokens",
  "seed",
  "ping",
  "usage",
  "fault",
  "after",
  "times",
];

/**
 * `sluice mock`: starts the mock upstream with the knob defaults from `argv`, prints the
 * URL it listens on, and resolves after SIGINT or SIGTERM, once it has stopped.
 */
export async function runMockCommand(argv: string[]): Promise<void> {
  let values: ReturnType<typeof parse>["values"];
  let knobs: ReturnType<typeof parseMockKnobs>;
  try {
    values = parse(argv).values;
    const knobText = new URLSearchParams();
    for (const name of knobFlags) {
      const value = values[name as keyof typeof values];
      if (typeof value === "string") knobText.append(name, value);
    }
    if (values["retry-after"] !== undefined) knobText.append("retry_after", values["retry-after"]);
    if (values.json) knobText.append("json", "1");
    if (values.tool) knobText.append("tool", "1");
    knobs = parseMockKnobs(knobText.toString());
  } catch (error) {
    process.stderr.write(`sluice mock: ${(error as Error).message}\n\n${usage}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const mock = await startMock({ ...knobs, port: Number(values.port), host: values.host });
  process.stdout.write(`sluice mock listening on ${mock.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await mock.close();
}

function parse(argv: string[]) {
  const knobOptions = Object.fromEntries(
    knobFlags.map((name) => [name, { type: "string" as const }]),
  );
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...(knobOptions as Record<(typeof knobFlags)[number], { type: "string" }>),
      port: { type: "string", default: "8790" },
      host: { type: "string", default: "127.0.0.1" },
      "retry-after": { type: "string" },
      json: { type: "boolean" },
      tool: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
