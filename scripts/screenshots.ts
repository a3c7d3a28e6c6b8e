// Takes the README's screenshots of the chat page: desktop and phone, light and dark, while an
// answer streams and once it is done. Run: node --import tsx scripts/screenshots.ts
// (after npm run build). The gateway runs in this process on a free port, on the demo model.
import type { AddressInfo } from "node:net";
import { buildApp, loadConfig } from "@sluice/server";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../tests/support/chromium.js";

const question = "How do I stream an LLM answer to a browser without losing tokens?";
const app = await buildApp(
  loadConfig({ LOG_LEVEL: "silent", PORT: "0", DEMO_TTFT_MS: "200", DEMO_TOKENS_PER_SECOND: "30" }),
);
await app.fastify.listen({ port: 0, host: "127.0.0.1" });
const origin = `http://127.0.0.1:${(app.fastify.server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const devices = {
    desktop: { viewport: { width: 1280, height: 800 } },
    phone: {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    },
  };
  for (const [device, options] of Object.entries(devices)) {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ ...options, colorScheme });
      const page = await context.newPage();
      await page.goto(origin);
      const box = page.getByRole("textbox", { name: "Message" });
      await box.fill(question);
      await box.press("Enter");
      // Mid-stream: once the code block has started.
      await page.locator('[aria-label="Answer"] pre').first().waitFor();
      await page.screenshot({ path: `docs/screenshots/${device}-${colorScheme}-streaming.png` });
      await page.getByTestId("stats").waitFor({ timeout: 60_000 });
      await page.screenshot({ path: `docs/screenshots/${device}-${colorScheme}-done.png` });
      await context.close();
    }
  }
} finally {
  await browser.close();
  await app.shutdown();
}
