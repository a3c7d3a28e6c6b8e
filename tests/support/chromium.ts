import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { type Browser, chromium } from "playwright-core";

const executablePath = "/usr/bin/chromium";

/**
 * Debian's Chromium, headless, with the flags that keep it off the network. Without the binary
 * the test is skipped, except under CI=true, where a test that could not run has failed.
 */
export async function launchChromium(context: TestContext): Promise<Browser | undefined> {
  if (!existsSync(executablePath)) {
    if (process.env.CI === "true")
      throw new Error(`${executablePath} is missing: install chromium.`);
    context.skip(`${executablePath} is missing (apt-get install chromium)`);
    return undefined;
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
