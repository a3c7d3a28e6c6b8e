import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useMockAndGateway } from "./support/mock-and-gateway.js";

interface BadInput {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Blob;
  status: number;
  type: string;
}

const json = { "content-type": "application/json" };
const auth = { authorization: "Bearer good-key" };
const validBody = JSON.stringify({ message: "Hi" });

const badInputs: BadInput[] = [
  {
    name: "a body that is not JSON",
    path: "/api/chat/stream",
    body: "{nope",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "an empty body",
    path: "/api/chat/stream",
    body: "",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a JSON array",
    path: "/api/chat/stream",
    body: "[1,2]",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "an unknown field",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "Hi", temprature: 1 }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "neither message nor messages",
    path: "/api/chat/stream",
    body: JSON.stringify({ model: "demo/default" }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "both message and messages",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "Hi", messages: [{ role: "user", content: "Hi" }] }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a message of the wrong type",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: 42 }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a role that does not exist",
    path: "/api/chat",
    body: JSON.stringify({ messages: [{ role: "wizard", content: "Hi" }] }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a negative max_tokens",
    path: "/api/chat",
    body: JSON.stringify({ message: "Hi", max_tokens: -5 }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a temperature out of range",
    path: "/api/stream",
    body: JSON.stringify({ message: "Hi", temperature: 9 }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "an unknown smoothing",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "Hi", smooth: "letter" }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a negative resume_from",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "Hi", resume_from: -1 }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "an unknown response_format",
    path: "/api/chat",
    body: JSON.stringify({ message: "Hi", response_format: { type: "xml" } }),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a body that is not UTF-8",
    path: "/api/chat/stream",
    body: new Blob([
      Uint8Array.from([
        0x7b, 0x22, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22,
        0x7d,
      ]),
    ]),
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a body over BODY_LIMIT",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "x".repeat(5000) }),
    status: 413,
    type: "payload_too_large",
  },
  {
    name: "a form instead of JSON",
    path: "/api/chat/stream",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "message=Hi",
    status: 415,
    type: "invalid_request",
  },
  {
    name: "an unknown model",
    path: "/api/chat/stream",
    body: JSON.stringify({ message: "Hi", model: "nosuch/model" }),
    status: 404,
    type: "not_found",
  },
  {
    name: "a provider that is not configured",
    path: "/api/chat",
    body: JSON.stringify({ message: "Hi", model: "anthropic/claude" }),
    status: 404,
    type: "not_found",
  },
  {
    name: "a malformed Last-Event-ID",
    path: "/api/chat/stream",
    headers: { "last-event-id": "garbage" },
    body: validBody,
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a malformed last_event_id query",
    path: "/api/streams/AAAAAAAAAAAAAAAAAAAAAAAA?last_event_id=x:y",
    method: "GET",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a stream that does not exist",
    path: "/api/streams/AAAAAAAAAAAAAAAAAAAAAAAA",
    method: "GET",
    status: 404,
    type: "not_found",
  },
  {
    name: "cancelling a stream that does not exist",
    path: "/api/streams/AAAAAAAAAAAAAAAAAAAAAAAA",
    method: "DELETE",
    status: 404,
    type: "not_found",
  },
  {
    name: "a GET stream without a message",
    path: "/api/chat/stream?model=demo/default",
    method: "GET",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a GET stream with max_tokens that is not a number",
    path: "/api/chat/stream?message=Hi&max_tokens=lots",
    method: "GET",
    status: 400,
    type: "invalid_request",
  },
  {
    name: "a route that does not exist",
    path: "/api/nothing",
    method: "GET",
    status: 404,
    type: "not_found",
  },
  {
    name: "no API key",
    path: "/api/chat/stream",
    headers: { authorization: "" },
    body: validBody,
    status: 401,
    type: "unauthorized",
  },
  {
    name: "a wrong API key",
    path: "/api/chat",
    headers: { authorization: "Bearer wrong" },
    body: validBody,
    status: 401,
    type: "unauthorized",
  },
];

describe("bad input gets a clear 4xx JSON error, and the server keeps serving", () => {
  // OpenAI only: anthropic/… models have no upstream here.
  const servers = useMockAndGateway({
    ANTHROPIC_API_KEY: undefined,
    ANTHROPIC_BASE_URL: undefined,
    DEFAULT_MODEL: "openai/mock?tokens=5&gap=0&ttft=0",
    BODY_LIMIT: "2048",
    SLUICE_API_KEYS: "good-key,other-key",
  });

  async function goodRequestStillWorks(): Promise<void> {
    const response = await fetch(`${servers.gateway.url}/api/chat`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: validBody,
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { content: string; finish_reason: string };
    assert.equal(body.finish_reason, "stop");
    assert.ok(body.content.length > 0);
  }

  for (const input of badInputs) {
    test(`${input.name} → ${input.status} ${input.type}`, async () => {
      const response = await fetch(`${servers.gateway.url}${input.path}`, {
        method: input.method ?? "POST",
        headers: { ...json, ...auth, ...input.headers },
        ...(input.body === undefined ? {} : { body: input.body }),
      });
      assert.equal(response.status, input.status);
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      const body = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(body.error.type, input.type);
      assert.ok(body.error.message.length > 0);
      await goodRequestStillWorks();
    });
  }

  test("the OpenAI-compatible route answers bad input in OpenAI's error shape", async () => {
    const cases = [
      { body: "{", status: 400, type: "invalid_request_error" },
      { body: JSON.stringify({ model: "openai/x" }), status: 400, type: "invalid_request_error" },
      {
        body: JSON.stringify({ model: "openai/x", messages: [], n: 1 }),
        status: 400,
        type: "invalid_request_error",
      },
      {
        body: JSON.stringify({
          model: "openai/x",
          messages: [{ role: "user", content: "Hi" }],
          n: 3,
        }),
        status: 400,
        type: "invalid_request_error",
      },
      {
        body: JSON.stringify({ model: "nosuch/x", messages: [{ role: "user", content: "Hi" }] }),
        status: 404,
        type: "invalid_request_error",
      },
    ];
    for (const item of cases) {
      const response = await fetch(`${servers.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...json, ...auth },
        body: item.body,
      });
      assert.equal(response.status, item.status, item.body);
      const body = (await response.json()) as { error: Record<string, unknown> };
      assert.equal(body.error.type, item.type);
      assert.ok("message" in body.error && "param" in body.error && "code" in body.error);
    }
    const unauthorized = await fetch(`${servers.gateway.url}/v1/models`);
    assert.equal(unauthorized.status, 401);
    assert.equal(
      ((await unauthorized.json()) as { error: { type: string } }).error.type,
      "authentication_error",
    );
    await goodRequestStillWorks();
  });

  test("a stream of one API key is not found for another", async () => {
    const response = await fetch(`${servers.gateway.url}/api/chat/stream`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: validBody,
    });
    const id = response.headers.get("x-stream-id");
    await response.text();
    const other = { authorization: "Bearer other-key" };
    const read = await fetch(`${servers.gateway.url}/api/streams/${id}`, { headers: other });
    assert.equal(read.status, 404);
    const cancel = await fetch(`${servers.gateway.url}/api/streams/${id}`, {
      method: "DELETE",
      headers: other,
    });
    assert.equal(cancel.status, 404);
    const own = await fetch(`${servers.gateway.url}/api/streams/${id}`, { headers: auth });
    assert.equal(own.status, 200);
    assert.match(await own.text(), /"type":"done"/);
  });

  test("an upstream that rejects the gateway's key never echoes that key", async () => {
    const response = await fetch(`${servers.gateway.url}/api/chat`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: JSON.stringify({ message: "Hi", model: "openai/mock?fault=401" }),
    });
    const text = await response.text();
    assert.ok(response.status >= 400 && response.status < 600);
    assert.doesNotMatch(text, /sk-test-upstream-secret/);
    await goodRequestStillWorks();
  });
});
