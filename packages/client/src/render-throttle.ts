/** Coalesces many update requests into at most one render per interval; see {@link createRenderThrottle}. */
export interface RenderThrottle {
  /** Asks for a render: at once when the last one is older than the interval, else at the interval's end. */
  schedule(): void;
  /** Renders now (the last update of an answer is never delayed) and drops a pending one. */
  flush(): void;
  /** Drops a pending render. */
  cancel(): void;
}

/**
 * A render throttle for UIs fed by token events: 100 tokens a second become at most
 * `1000 / intervalMs` renders, the first at once, the last as soon as {@link RenderThrottle.flush} is called.
 *
 * @param render what to run
 * @param intervalMs the shortest time between two renders; default 50 ms (20 a second)
 * @param now the clock, injectable for tests
 */
export function createRenderThrottle(
  render: () => void,
  intervalMs = 50,
  now: () => number = () => performance.now(),
): RenderThrottle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRenderAt = Number.NEGATIVE_INFINITY;
  const run = () => {
    timer = undefined;
    lastRenderAt = now();
    render();
  };
  return {
    schedule() {
      if (timer !== undefined) return;
      const wait = lastRenderAt + intervalMs - now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    flush() {
      clearTimeout(timer);
      run();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
