// Streams one answer from a Sluice gateway to stdout, resuming by itself if the connection
// drops. Run: node --import tsx packages/client/examples/stream-in-node.ts [baseUrl] [message] [model]
import { streamChat } from "@sluice/client";

const [baseUrl = "http://127.0.0.1:8787", message = "How does backpressure work?", model] =
  process.argv.slice(2);

const stream = streamChat({ message, ...(model ? { model } : {}) }, { baseUrl });
// Ctrl-C stops the generation at the gateway instead of leaving it running.
process.once("SIGINT", () => void stream.stop());
for await (const event of stream) {
  if (event.type === "token") process.stdout.write(event.content);
  else if (event.type === "status") process.stderr.write(`\n[${event.message}]\n`);
  else if (event.type === "reconnecting")
    process.stderr.write(`\n[reconnecting: ${event.attempt}]\n`);
  else if (event.type === "error")
    process.stderr.write(`\n[error ${event.error_type}: ${event.message}]\n`);
}
const done = await stream.done.catch(() => undefined);
if (done) {
  process.stderr.write(
    `\n${done.token_count} tokens in ${done.elapsed_seconds} s, ${done.tokens_per_second} tok/s, first token after ${done.ttft_ms} ms\n`,
  );
} else process.exitCode = 1;
