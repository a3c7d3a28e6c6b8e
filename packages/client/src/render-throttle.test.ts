import assert from "node:assert/strict";
import { test } from "node:test";
import { createRenderThrottle } from "./render-throttle.js";

test("renders the first request at once, coalesces the rest of the interval, and flushes the last at once", async () => {
  let clock = 0;
  let renders = 0;
  const throttle = createRenderThrottle(
    () => {
      renders += 1;
    },
    50,
    () => clock,
  );
  throttle.schedule();
  assert.equal(renders, 1);
  clock = 10;
  for (let index = 0; index < 100; index += 1) throttle.schedule();
  assert.equal(renders, 1);
  throttle.flush();
  assert.equal(renders, 2);
  clock = 100;
  throttle.schedule();
  assert.equal(renders, 3);
  throttle.cancel();
});

test("a scheduled render runs when its interval ends", async () => {
  let renders = 0;
  const throttle = createRenderThrottle(() => {
    renders += 1;
  }, 5);
  throttle.schedule();
  throttle.schedule();
  assert.equal(renders, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(renders, 2);
});
