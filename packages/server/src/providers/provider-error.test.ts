import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { SluiceError } from "@sluice/protocol";
import OpenAI from "openai";
import { causeCode, toSluiceError } from "./provider-error.js";

const apiKey = "sk-proj-gatewaysecret0123456789";

function openAIError(status: number, message: string, headers: Record<string, string> = {}) {
  return OpenAI.APIError.generate(
    status,
    { error: { message, type: "invalid_request_error", param: null, code: null } },
    undefined,
    new Headers(headers),
  );
}

function anthropicError(status: number, type: string, message: string, headers = {}) {
  return Anthropic.APIError.generate(
    status,
    { type: "error", error: { type, message } },
    undefined,
    new Headers(headers),
  );
}

describe("toSluiceError", () => {
  it("turns a 429 into a retryable rate_limit with the wait the upstream asked for", () => {
    const fromMs = toSluiceError(
      openAIError(429, "Slow down", { "retry-after-ms": "1500" }),
      "openai",
    );
    assert.equal(fromMs.type, "rate_limit");
    assert.equal(fromMs.retryable, true);
    assert.equal(fromMs.retryAfterMs, 1500);
    const fromSeconds = toSluiceError(
      anthropicError(429, "rate_limit_error", "Too many", { "retry-after": "3" }),
      "anthropic",
    );
    assert.equal(fromSeconds.retryAfterMs, 3000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = toSluiceError(openAIError(429, "Later", { "retry-after": date }), "openai");
    assert.ok(
      fromDate.retryAfterMs !== undefined &&
        fromDate.retryAfterMs > 55_000 &&
        fromDate.retryAfterMs <= 60_000,
      String(fromDate.retryAfterMs),
    );
    assert.equal(toSluiceError(openAIError(429, "No hint"), "openai").retryAfterMs, undefined);
  });

  it("turns 408, 409, 5xx and 529 into retryable api_errors that keep the status", () => {
    for (const status of [408, 409, 500, 502, 503, 529]) {
      const error = toSluiceError(openAIError(status, "Upstream trouble"), "openai");
      assert.equal(error.type, "api_error", String(status));
      assert.equal(error.retryable, true);
      assert.equal(error.status, status);
    }
    const overloaded = toSluiceError(
      anthropicError(529, "overloaded_error", "Overloaded"),
      "anthropic",
    );
    assert.match(overloaded.message, /Overloaded/);
  });

  it("turns 400, 404, 413 and 422 into final invalid_requests with the upstream's words", () => {
    for (const status of [400, 404, 413, 422]) {
      const error = toSluiceError(
        anthropicError(status, "invalid_request_error", "max_tokens: must be positive"),
        "anthropic",
      );
      assert.equal(error.type, "invalid_request");
      assert.equal(error.retryable, false);
      assert.equal(error.status, status);
      assert.match(error.message, /max_tokens: must be positive/);
    }
  });

  it("never echoes the gateway's key, nor key-looking text, in a message", () => {
    const leaky = openAIError(
      400,
      `Bad key ${apiKey} or sk-ant-api03-AbCdEfGhIjKl or Bearer abc.def, model missing`,
    );
    const error = toSluiceError(leaky, "openai", { apiKey });
    assert.ok(!error.message.includes(apiKey), error.message);
    assert.ok(!error.message.includes("sk-ant"), error.message);
    assert.ok(!error.message.includes("abc.def"), error.message);
    assert.match(error.message, /model missing/);
    const custom = toSluiceError(openAIError(404, "no model for plainsecretkey"), "openai", {
      apiKey: "plainsecretkey",
    });
    assert.ok(!custom.message.includes("plainsecretkey"), custom.message);
  });

  it("says the credentials were rejected on 401 and 403, without details", () => {
    for (const status of [401, 403]) {
      const error = toSluiceError(
        openAIError(status, `Incorrect API key provided: ${apiKey}`),
        "openai",
        {
          apiKey,
        },
      );
      assert.equal(error.type, "api_error");
      assert.equal(error.retryable, false);
      assert.equal(error.message, "The provider rejected the gateway's credentials");
    }
  });

  it("turns connection failures into retryable network_errors and keeps the cause", () => {
    const refused = new OpenAI.APIConnectionError({ cause: new Error("ECONNREFUSED") });
    const timedOut = new Anthropic.APIConnectionTimeoutError();
    const terminated = new TypeError("terminated", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    for (const cause of [refused, timedOut, terminated]) {
      const error = toSluiceError(cause, "openai");
      assert.equal(error.type, "network_error");
      assert.equal(error.retryable, true);
      assert.equal(error.cause, cause);
    }
  });

  it("names the upstream and the cause of a failed connection", () => {
    const refused = new OpenAI.APIConnectionError({
      cause: new TypeError("fetch failed", {
        cause: new AggregateError(
          [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })],
          "",
        ),
      }),
    });
    const error = toSluiceError(refused, "openai (127.0.0.1:9)");
    assert.equal(
      error.message,
      "The connection to openai (127.0.0.1:9) failed: connection refused (ECONNREFUSED).",
    );
    assert.equal(causeCode(refused), "ECONNREFUSED");
  });

  it("turns an in-band stream error into a retryable api_error", () => {
    const inBand = new OpenAI.APIError(
      undefined,
      { message: "The server had an error" },
      undefined,
      undefined,
    );
    const error = toSluiceError(inBand, "openai");
    assert.equal(error.type, "api_error");
    assert.equal(error.retryable, true);
    assert.match(error.message, /The server had an error/);
  });

  it("rethrows the signal's reason instead of converting an abort", () => {
    const controller = new AbortController();
    const reason = new Error("client went away");
    controller.abort(reason);
    assert.throws(
      () => toSluiceError(new OpenAI.APIUserAbortError(), "openai", { signal: controller.signal }),
      (thrown) => thrown === reason,
    );
    assert.throws(
      () => toSluiceError(new Error("anything"), "openai", { signal: controller.signal }),
      (thrown) => thrown === reason,
    );
    const abort = new Anthropic.APIUserAbortError();
    assert.throws(
      () => toSluiceError(abort, "anthropic"),
      (thrown) => thrown === abort,
    );
  });

  it("passes SluiceErrors through and reports anything else as unknown", () => {
    const own = new SluiceError("timeout");
    assert.equal(toSluiceError(own, "openai"), own);
    const odd = toSluiceError(new RangeError("odd"), "openai");
    assert.equal(odd.type, "unknown");
    assert.equal(odd.retryable, false);
  });
});
