import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, it } from "node:test";
import { gapSequence, type PacedScript, type PaceOptions, pace } from "./token-pacer.js";

/** Records what the pacer writes; `full` makes `write` report a full socket. */
class FakeResponse extends EventEmitter {
  writes: string[] = [];
  ended = false;
  full = false;

  write(chunk: string, flushed?: () => void): boolean {
    this.writes.push(chunk);
    this.emit("wrote");
    if (flushed) setImmediate(flushed);
    return !this.full;
  }

  end(chunk: string): void {
    this.writes.push(chunk);
    this.ended = true;
    this.emit("close");
  }

  destroy(): void {
    this.emit("close");
  }
}

function script(count: number): PacedScript {
  return {
    count,
    ping: "[ping]",
    opening: () => "[open]",
    token: (index) => `[${index}]`,
    closing: () => "[close]",
  };
}

const timing: PaceOptions = { ttftMs: 0, gapMs: 1, jitter: 0, seed: 1, pingMs: 0, ending: "end" };

function paceFake(response: FakeResponse, paced: PacedScript, options: PaceOptions) {
  return pace(response as unknown as ServerResponse, paced, options);
}

function busyWait(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {}
}

describe("pace", () => {
  it("sends the opening with the first token and the closing with the last", async () => {
    const response = new FakeResponse();
    assert.equal(await paceFake(response, script(3), timing), "completed");
    assert.equal(response.writes.join(""), "[open][0][1][2][close]");
    assert.ok(response.writes[0]?.startsWith("[open][0]"));
    assert.ok(response.writes.at(-1)?.endsWith("[2][close]"));
    assert.ok(response.ended);
  });

  it("writes the tokens that fell due while the event loop was busy in one write", async () => {
    const response = new FakeResponse();
    response.once("wrote", () => busyWait(30));
    await paceFake(response, script(20), { ...timing, gapMs: 2 });
    const tokens = Array.from({ length: 20 }, (_, index) => `[${index}]`).join("");
    assert.equal(response.writes.join(""), `[open]${tokens}[close]`);
    assert.ok(response.writes.length < 10, `${response.writes.length} writes`);
  });

  it("waits for drain when the socket is full, then sends what fell due in one write", async () => {
    const response = new FakeResponse();
    response.full = true;
    const paced = paceFake(response, script(100_000), timing);
    await once(response, "wrote");
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(response.writes.length, 1);
    response.full = false;
    response.emit("drain");
    assert.equal(response.writes.length, 2);
    assert.ok((response.writes[1]?.split("][").length ?? 0) >= 20, response.writes[1]);
    response.emit("close");
    assert.equal(await paced, "aborted");
  });

  it("sends pings while tokens are far apart", async () => {
    const response = new FakeResponse();
    await paceFake(response, script(2), { ...timing, gapMs: 300, pingMs: 10 });
    assert.ok(response.writes.filter((write) => write === "[ping]").length >= 2);
  });

  it("stops at once and reports an abort when the connection closes early", async () => {
    const response = new FakeResponse();
    const paced = paceFake(response, script(1000), { ...timing, gapMs: 5 });
    await once(response, "wrote");
    response.emit("close");
    assert.equal(await paced, "aborted");
    const written = response.writes.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(response.writes.length, written);
  });

  it("ends a dropped response by destroying it without the closing", async () => {
    const response = new FakeResponse();
    assert.equal(await paceFake(response, script(0), { ...timing, ending: "drop" }), "completed");
    assert.deepEqual(response.writes, ["[open]"]);
  });

  it("stalls after the last token: no closing, and the connection stays open", async () => {
    const response = new FakeResponse();
    const paced = paceFake(response, script(2), { ...timing, ending: "stall" });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(response.writes.join(""), "[open][0][1]");
    response.emit("close");
    assert.equal(await paced, "aborted");
  });

  it("splits an answer that is due at once into bounded writes", async () => {
    const response = new FakeResponse();
    const long = { ...script(1000), token: (index: number) => `[${index}]`.padEnd(1000, ".") };
    await paceFake(response, long, { ...timing, gapMs: 0 });
    assert.equal(response.writes.join("").length, 6 + 1000 * 1000 + 7);
    assert.ok(response.writes.length >= 15);
    assert.ok(response.writes.every((write) => write.length <= 64 * 1024 + 1000));
  });
});

describe("gapSequence", () => {
  it("spreads gaps by the jitter fraction, the same way for the same seed", () => {
    const draw = (seed: number) => {
      const nextGap = gapSequence({ gapMs: 10, jitter: 0.5, seed });
      return Array.from({ length: 200 }, () => nextGap());
    };
    const gaps = draw(4);
    assert.deepEqual(draw(4), gaps);
    assert.notDeepEqual(draw(5), gaps);
    assert.ok(gaps.every((gap) => gap >= 5 && gap <= 15));
    assert.ok(new Set(gaps).size > 100);
  });
});
