import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";

/** The chat page in a fresh browser context, with the console errors it logged. */
export interface ChatPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** The last answer on the page. */
  answer(): Locator;
  /** Types `text` in the message box and presses Enter. */
  send(text: string): Promise<void>;
  /** Waits until the last answer shows its stats line (its `done` event arrived). */
  waitForDone(timeoutMs?: number): Promise<void>;
  /** The last answer's text as the page keeps it (localStorage), exact. */
  storedAnswer(): Promise<string>;
  /** The last answer's text as shown, with runs of white space made one space. */
  shownAnswer(): Promise<string>;
}

/** White space as a reader sees it: runs made one space, none at the ends. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Opens `url` in a new context (viewport, colour scheme, ...) of `browser`; `watch`, when
 * given, runs in the page before its own scripts (to observe it from the start).
 */
export async function openChatPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions & { watch?: () => void } = {},
): Promise<ChatPage> {
  const { watch, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  if (watch) await page.addInitScript(watch);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  const answer = () => page.getByRole("article", { name: "Answer" }).last();
  return {
    page,
    errors,
    answer,
    async send(text) {
      const box = page.getByRole("textbox", { name: "Message" });
      await box.fill(text);
      await box.press("Enter");
    },
    async waitForDone(timeoutMs = 20_000) {
      await answer().getByTestId("stats").waitFor({ timeout: timeoutMs });
    },
    storedAnswer: () =>
      page.evaluate(() => {
        const chat = JSON.parse(localStorage.getItem("sluice-chat") ?? "{}");
        return String(chat.messages?.at(-1)?.content ?? "");
      }),
    async shownAnswer() {
      return collapseSpace(await answer().getByTestId("answer").innerText());
    },
  };
}
