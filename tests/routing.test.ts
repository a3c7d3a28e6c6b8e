import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { type MockRequestRecord, mockText, mockTokens } from "@sluice/mock";
import type { DoneEvent, StreamEvent } from "@sluice/protocol";
import OpenAI from "openai";
import { startGatewayProcess } from "./support/gateway-process.js";
import { useMockAndGateway } from "./support/mock-and-gateway.js";
import { assertWholeStream, postStream, readNativeStream } from "./support/native-stream.js";
import { routingFile } from "./support/routing-file.js";
import { finalMessage, textOfMessage, uiChatTransport, userMessage } from "./support/ui-chat.js";

/** Model aliases over two models of the mock, as a client of each route sees them. */

// mock-a fails in the ways each alias needs; mock-b answers.
const config = `
models:
  after-500:
    targets: ["openai/mock-a?fault=500", "openai/mock-b?tokens=12&seed=2"]
  misconfigured:
    targets: ["openai/mock-a?fault=401", "openai/mock-b?tokens=12&seed=2"]
  slow-first:
    targets: ["openai/mock-a?ttft=10000", "openai/mock-b?tokens=12&seed=2"]
  continued:
    targets: ["openai/mock-a?tokens=40&fault=drop&after=20", "openai/mock-b?tokens=10&seed=3"]
    continue_on_failure: true
  prefilled:
    targets: ["openai/mock-a?tokens=40&fault=drop&after=14", "anthropic/mock-b?tokens=10&seed=3"]
    continue_on_failure: true
  in-band:
    targets: ["openai/mock-a?tokens=40&fault=error&after=5", "openai/mock-b?tokens=10&seed=3"]
    continue_on_failure: true
  stalled:
    targets: ["openai/mock-a?tokens=40&fault=stall&after=5", "openai/mock-b?tokens=10&seed=3"]
    continue_on_failure: true
  cut:
    targets: ["openai/mock-a?tokens=40&fault=drop&after=20&seed=1", "openai/mock-b?tokens=10&seed=3"]
  spread:
    targets: ["openai/mock-a?tokens=3", "openai/mock-b?tokens=3"]
    strategy: round-robin
  guarded:
    targets: ["openai/mock-a?tokens=3&fault=500&times=2", "openai/mock-b?tokens=3"]
    failure_threshold: 1
    cooldown_ms: 2000
  doomed:
    targets: ["openai/mock-a?fault=503"]
    failure_threshold: 1
    cooldown_ms: 60000
`;

const seen: MockRequestRecord[] = [];
const modelsSeen = () => seen.map((request) => request.body.model);

async function stream(url: string, model: string) {
  const response = await postStream(url, { message: "Hello", model });
  assert.equal(response.status, 200);
  const result = await readNativeStream(response);
  assertWholeStream(result.streamId ?? "", result.events);
  const events = result.events.map(({ event }) => event);
  return { ...result, events, terminal: events.at(-1) as StreamEvent };
}

/** The text the official SDK streams from /v1 for one user turn. */
async function sdkStreamText(client: OpenAI, model: string): Promise<string> {
  const chunks = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Hello" }],
    stream: true,
  });
  let text = "";
  for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? "";
  return text;
}

function statuses(events: StreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === "status" ? [event.message] : []));
}

describe("model aliases over the mock", () => {
  const servers = useMockAndGateway(
    {
      SLUICE_CONFIG: routingFile(config),
      // Two attempts per target, 20-40 ms apart: each wait reads "retrying in 0.1s".
      RETRY_MAX_ATTEMPTS: "2",
      RETRY_BASE_DELAY_MS: "20",
      RETRY_MAX_DELAY_MS: "40",
      FIRST_TOKEN_TIMEOUT_MS: "1000",
      IDLE_TIMEOUT_MS: "1000",
    },
    { ttftMs: 1, gapMs: 1, onRequest: (request) => seen.push(request) },
  );
  beforeEach(() => {
    seen.length = 0;
    servers.mock.reset();
  });

  test("a 500 from the first target falls back to the second, which gives the whole answer", async () => {
    const { events, text, terminal } = await stream(servers.gateway.url, "after-500");
    assert.equal(text, mockText({ tokens: 12, seed: 2 }));
    assert.deepEqual(statuses(events), [
      "Provider error, retrying in 0.1s",
      "Falling back to openai/mock-b?tokens=12&seed=2: openai answered 500",
    ]);
    assert.equal(terminal.type, "done");
    assert.equal((terminal as DoneEvent).model, "openai/mock-b?tokens=12&seed=2");
    assert.deepEqual(modelsSeen(), [
      "mock-a?fault=500",
      "mock-a?fault=500",
      "mock-b?tokens=12&seed=2",
    ]);
  });

  test("a target that answers 401 is skipped at once, without a retry", async () => {
    const { events, text, terminal } = await stream(servers.gateway.url, "misconfigured");
    assert.equal(text, mockText({ tokens: 12, seed: 2 }));
    assert.deepEqual(statuses(events), [
      "Falling back to openai/mock-b?tokens=12&seed=2: openai answered 401",
    ]);
    assert.equal(terminal.type === "done" && terminal.model, "openai/mock-b?tokens=12&seed=2");
    assert.deepEqual(modelsSeen(), ["mock-a?fault=401", "mock-b?tokens=12&seed=2"]);
  });

  test("the official openai SDK on /v1 just gets the second target's answer", async () => {
    const client = new OpenAI({ baseURL: `${servers.gateway.url}/v1`, apiKey: "unused" });
    const text = await sdkStreamText(client, "after-500");
    assert.equal(text, mockText({ tokens: 12, seed: 2 }));
    const answer = await client.chat.completions.create({
      model: "after-500",
      messages: [{ role: "user", content: "Hello" }],
    });
    assert.equal(answer.choices[0]?.message.content, mockText({ tokens: 12, seed: 2 }));
  });

  test("a first target that sends no first token in time is left for the second", async () => {
    const { events, text, terminal } = await stream(servers.gateway.url, "slow-first");
    assert.equal(text, mockText({ tokens: 12, seed: 2 }));
    assert.deepEqual(statuses(events), [
      "No response in time, retrying in 0.1s",
      "Falling back to openai/mock-b?tokens=12&seed=2: openai timed out (no first token within 1s)",
    ]);
    assert.equal((terminal as DoneEvent).model, "openai/mock-b?tokens=12&seed=2");
  });

  test("a target that drops after 20 tokens is continued by the next, which gets the partial answer", async () => {
    const { events, text, terminal } = await stream(servers.gateway.url, "continued");
    const partial = mockTokens({ tokens: 40 }).slice(0, 20).join("");
    assert.equal(text, partial + mockText({ tokens: 10, seed: 3 }));
    const continuing = statuses(events);
    assert.equal(continuing.length, 1);
    assert.match(continuing[0] ?? "", /^Continuing on openai\/mock-b\?tokens=10&seed=3: /);
    assert.equal(terminal.type, "done");
    const done = terminal as DoneEvent;
    assert.equal(done.model, "openai/mock-b?tokens=10&seed=3");
    // The cut call reported no usage: its part is counted, and the sum says so.
    assert.equal(done.usage.estimated, true);
    assert.ok(done.usage.completion_tokens >= 10 + 20 - 5, JSON.stringify(done.usage));
    assert.equal(seen.length, 2);
    const messages = seen[1]?.body.messages as { role: string; content: string }[];
    assert.deepEqual(messages.at(-1), { role: "assistant", content: partial });
    assert.deepEqual(messages.slice(0, -1), seen[0]?.body.messages);
  });

  test("an in-band error or an idle timeout after tokens is continued like a drop", async () => {
    const expected =
      mockTokens({ tokens: 40 }).slice(0, 5).join("") + mockText({ tokens: 10, seed: 3 });
    for (const alias of ["in-band", "stalled"]) {
      const { events, text, terminal } = await stream(servers.gateway.url, alias);
      assert.equal(text, expected, alias);
      assert.equal(terminal.type === "done" && terminal.model, "openai/mock-b?tokens=10&seed=3");
      assert.equal(statuses(events).length, 1);
    }
  });

  test("an Anthropic target continues from a prefill without its trailing whitespace", async () => {
    const { text, terminal } = await stream(servers.gateway.url, "prefilled");
    const partial = mockTokens({ tokens: 40 }).slice(0, 14).join("");
    assert.match(partial, /\n\n$/);
    // The whitespace cut from the prefill is not sent twice either.
    assert.equal(text, partial + mockText({ tokens: 10, seed: 3 }).trimStart());
    assert.equal(terminal.type === "done" && terminal.model, "anthropic/mock-b?tokens=10&seed=3");
    assert.equal(seen[1]?.path, "/v1/messages");
    const messages = seen[1]?.body.messages as { role: string; content: unknown }[];
    const last = messages.at(-1);
    assert.equal(last?.role, "assistant");
    const content = last?.content;
    const prefill = Array.isArray(content)
      ? content.map((block: { text?: string }) => block.text ?? "").join("")
      : content;
    assert.equal(prefill, partial.trimEnd());
  });

  test("a continued answer reaches /v1 stream readers and AI SDK chats whole", async () => {
    const expected =
      mockTokens({ tokens: 40 }).slice(0, 20).join("") + mockText({ tokens: 10, seed: 3 });
    const client = new OpenAI({ baseURL: `${servers.gateway.url}/v1`, apiKey: "unused" });
    const text = await sdkStreamText(client, "continued");
    assert.equal(text, expected);
    const message = await finalMessage(
      await uiChatTransport(servers.gateway.url, { body: { model: "continued" } }).sendMessages({
        trigger: "submit-message",
        chatId: `routing-${process.pid}`,
        messageId: undefined,
        messages: [userMessage("Hello")],
        abortSignal: undefined,
      }),
    );
    // readUIMessageStream throws on an error chunk: the chat ended as one answer.
    assert.equal(textOfMessage(message), expected);
  });

  test("without continue_on_failure, a drop after tokens ends the stream with a retryable error", async () => {
    const { text, terminal } = await stream(servers.gateway.url, "cut");
    assert.equal(text, mockTokens({ tokens: 40 }).slice(0, 20).join(""));
    assert.equal(terminal.type, "error");
    assert.equal(terminal.type === "error" && terminal.retryable, true);
    assert.equal(seen.length, 1);
  });

  test("round-robin sends four requests two and two", async () => {
    const answeredBy: string[] = [];
    for (let request = 0; request < 4; request++) {
      const { terminal } = await stream(servers.gateway.url, "spread");
      answeredBy.push((terminal as DoneEvent).model ?? "");
    }
    const count = (model: string) => answeredBy.filter((id) => id === model).length;
    assert.equal(count("openai/mock-a?tokens=3"), 2);
    assert.equal(count("openai/mock-b?tokens=3"), 2);
    assert.deepEqual(modelsSeen().sort(), [
      "mock-a?tokens=3",
      "mock-a?tokens=3",
      "mock-b?tokens=3",
      "mock-b?tokens=3",
    ]);
  });

  test("a benched target is skipped until its cool-down ends", async () => {
    const url = servers.gateway.url;
    const first = await stream(url, "guarded");
    assert.equal((first.terminal as DoneEvent).model, "openai/mock-b?tokens=3");
    const ready = await (await fetch(`${url}/readyz`)).json();
    const benched = (state: { routing: { benched_targets: { target: string }[] } }) =>
      state.routing.benched_targets.map((bench) => bench.target);
    assert.ok(benched(ready).includes("openai/mock-a?tokens=3&fault=500&times=2"));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const left =
      /sluice_target_benched_seconds\{target="openai\/mock-a\?tokens=3&fault=500&times=2"\} ([\d.]+)/.exec(
        metrics,
      );
    assert.ok(Number(left?.[1]) > 0, "the benched target's cool-down is in /metrics");
    seen.length = 0;
    const second = await stream(url, "guarded");
    assert.deepEqual(statuses(second.events), []);
    assert.deepEqual(modelsSeen(), ["mock-b?tokens=3"]);
    // The cool-down is 2 s: /readyz says when it is over.
    for (;;) {
      const state = await (await fetch(`${url}/readyz`)).json();
      if (!benched(state).includes("openai/mock-a?tokens=3&fault=500&times=2")) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const third = await stream(url, "guarded");
    assert.equal((third.terminal as DoneEvent).model, "openai/mock-a?tokens=3&fault=500&times=2");
  });

  test("an alias whose targets are all benched answers 503 with Retry-After", async () => {
    const url = servers.gateway.url;
    const { terminal } = await stream(url, "doomed");
    assert.equal(terminal.type, "error");
    const response = await postStream(url, { message: "Hello", model: "doomed" });
    assert.equal(response.status, 503);
    const retryAfter = Number(response.headers.get("retry-after"));
    assert.ok(retryAfter > 50 && retryAfter <= 60, `retry-after ${retryAfter}`);
    const body = await response.json();
    assert.equal(body.error.type, "max_retries");
    const openAI = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "doomed", messages: [{ role: "user", content: "Hi" }] }),
    });
    assert.equal(openAI.status, 503);
    assert.ok(Number(openAI.headers.get("retry-after")) > 50);
    await openAI.arrayBuffer();
  });

  test("/v1/models lists the aliases", async () => {
    const response = await fetch(`${servers.gateway.url}/v1/models`);
    const data: { id: string; owned_by: string }[] = (await response.json()).data;
    const ids = data.map((model) => model.id);
    assert.equal(data.find((model) => model.id === "after-500")?.owned_by, "sluice");
    for (const alias of ["after-500", "slow-first", "continued", "spread", "guarded", "doomed"]) {
      assert.ok(ids.includes(alias), `${alias} in ${ids.join(", ")}`);
    }
  });
});

describe("a bad SLUICE_CONFIG", () => {
  test("refuses start-up, naming the file, line and key", async () => {
    const path = routingFile("models:\n  smart:\n    targets: [openai/a]\n    strategy: random\n");
    const gateway = startGatewayProcess({ SLUICE_CONFIG: path, OPENAI_API_KEY: "sk-test" });
    await assert.rejects(gateway, (error: Error) => {
      assert.match(error.message, /exited with 1/);
      assert.ok(error.message.includes(`${path}:4:5: models.smart.strategy`), error.message);
      return true;
    });
  });
});
