// The lesson's streaming server written plainly, as a user would by hand: Fastify, the official
// `openai` SDK, `for await` over its stream, one `data:` frame per token. `npm run bench` measures
// Sluice against it in alternation. It is a yardstick, not a pattern: no retries, no resuming, no
// backpressure, no validation.
import Fastify from "fastify";
import OpenAI from "openai";

const openai = new OpenAI({
  baseURL: process.env.OPENAI_BASE_URL,
  apiKey: process.env.OPENAI_API_KEY ?? "none",
});
const app = Fastify({ logger: false });

app.get("/healthz", async () => ({ status: "ok" }));

app.post("/api/chat/stream", async (request, reply) => {
  const { message, model = "gpt-4o-mini" } = request.body;
  const controller = new AbortController();
  reply.raw.on("close", () => controller.abort());
  reply.hijack();
  reply.raw.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
  });
  const send = (event) => reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
  const started = performance.now();
  let tokenCount = 0;
  try {
    const stream = await openai.chat.completions.create(
      { model, messages: [{ role: "user", content: message }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta?.content) {
        tokenCount += 1;
        send({ type: "token", content: choice.delta.content });
      }
      if (choice?.finish_reason) {
        const elapsed = (performance.now() - started) / 1000;
        send({ type: "done", token_count: tokenCount, elapsed_seconds: elapsed });
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) send({ type: "error", message: String(error) });
  }
  reply.raw.end();
});

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "127.0.0.1" });
