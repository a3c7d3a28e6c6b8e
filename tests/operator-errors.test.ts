import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { buildApp, loadConfig } from "@sluice/server";
import getPort from "get-port";
import { pino } from "pino";
import { postStream, readNativeStream } from "./support/native-stream.js";

describe("an operator reads what failed, where and why", () => {
  const lines: Record<string, unknown>[] = [];
  let url = "";
  let host = "";
  let close = async () => {};

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
        callback();
      },
    });
    // A free port nobody listens on: an upstream that is down.
    const port = await getPort({ host: "127.0.0.1" });
    host = `127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: "0",
      OPENAI_API_KEY: "sk-operator-test-secret-key",
      OPENAI_BASE_URL: `http://${host}/v1`,
      RETRY_MAX_ATTEMPTS: "2",
      RETRY_BASE_DELAY_MS: "10",
      RETRY_MAX_DELAY_MS: "10",
    });
    const app = await buildApp(config, { logger: pino({ level: "info" }, sink) });
    await app.fastify.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(app.fastify.server.address() as AddressInfo).port}`;
    close = async () => {
      await app.fastify.close();
      await app.store.close();
    };
  });
  after(() => close());

  test("an unreachable upstream: the client reads the host and the cause, the log has one line", async () => {
    const response = await fetch(`${url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Hi", model: "openai/gpt-4o-mini" }),
    });
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(response.status, 503);
    assert.equal(body.error.type, "max_retries");
    assert.ok(body.error.message.includes(`openai (${host})`), body.error.message);
    assert.match(body.error.message, /connection refused \(ECONNREFUSED\)/);
    assert.doesNotMatch(body.error.message, /sk-operator/);

    const failures = lines.filter((line) => String(line.msg).startsWith("generation failed"));
    assert.equal(failures.length, 1, JSON.stringify(lines));
    assert.deepEqual(
      {
        model: failures[0]?.model,
        host: failures[0]?.host,
        error_type: failures[0]?.error_type,
        cause: failures[0]?.cause,
        attempts: failures[0]?.attempts,
      },
      {
        model: "openai/gpt-4o-mini",
        host,
        error_type: "max_retries",
        cause: "ECONNREFUSED",
        attempts: 2,
      },
    );
    assert.doesNotMatch(JSON.stringify(lines), /sk-operator-test-secret-key/);
  });

  test("the native stream's error event names the host and the cause", async () => {
    const result = await readNativeStream(
      await postStream(url, { message: "Hi", model: "openai/gpt-4o-mini" }),
    );
    const terminal = result.events.at(-1)?.event;
    assert.equal(terminal?.type, "error");
    assert.match(terminal?.type === "error" ? terminal.message : "", /ECONNREFUSED/);
  });

  test("/v1/models marks the provider it could not list instead of dropping it", async () => {
    const response = await fetch(`${url}/v1/models`);
    const body = (await response.json()) as {
      data: { id: string }[];
      unavailable: { provider: string; host: string; error: { type: string; message: string } }[];
    };
    assert.equal(response.status, 200);
    assert.deepEqual(
      body.data.map((model) => model.id),
      ["demo/default"],
    );
    assert.equal(body.unavailable[0]?.provider, "openai");
    assert.equal(body.unavailable[0]?.host, host);
    assert.match(body.unavailable[0]?.error.message ?? "", /ECONNREFUSED/);
  });

  test("a model the demo does not have is a 404, not a demo answer", async () => {
    const response = await postStream(url, { message: "Hi", model: "demo/nosuch" });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, "not_found");
    assert.match(body.error.message, /demo\/nosuch/);
  });
});
