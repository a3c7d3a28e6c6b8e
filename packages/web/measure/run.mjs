// Streams a 2,000-token Markdown answer into each renderer in Chromium and prints the time
// spent rendering: one update per token, then one per 10 tokens (a throttled render).
// Run: npm run measure:markdown -w @sluice/web
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join } from "node:path";
import { chromium } from "playwright-core";

const root = new URL("./dist/", import.meta.url).pathname;
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer(async (request, response) => {
  try {
    const path = join(root, request.url === "/" ? "index.html" : request.url.split("?")[0]);
    const body = await readFile(path);
    response.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}).listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => "measure" in window);
  for (const step of [1, 10]) {
    for (const renderer of ["marked+dompurify", "streamdown", "streamdown+code"]) {
      // A short warm-up round first, so that neither pays for the first compilation.
      await page.evaluate((name) => window.measure(name, 200, 5), renderer);
      const result = await page.evaluate(
        ([name, size]) => window.measure(name, 2000, size),
        [renderer, step],
      );
      console.log(JSON.stringify({ step, ...result }));
    }
  }
} finally {
  await browser.close();
  server.close();
}
