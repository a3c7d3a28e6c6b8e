import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; tests never download a browser of their own. */
export const chromiumPath = "/usr/bin/chromium";

/** Headless, and off the network: background services would try hosts this machine cannot reach. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Debian's Chromium, headless, with the flags that keep it off the network. Without the binary
 * the test is skipped, except under CI=true, where a test that could not run has failed.
 */
export async function launchChromium(context: TestContext): Promise<Browser | undefined> {
  if (!existsSync(chromiumPath)) {
    if (process.env.CI === "true") throw new Error(`${chromiumPath} is missing: install chromium.`);
    context.skip(`${chromiumPath} is missing (apt-get install chromium)`);
    return undefined;
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
