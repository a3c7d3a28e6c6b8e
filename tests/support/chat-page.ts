import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, type TestContext } from "node:test";
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { chromiumArgs, chromiumPath, launchChromium } from "./chromium.js";

/** The chat page in a fresh browser context, with the console errors it logged. */
export interface ChatPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** The last answer on the page. */
  answer(): Locator;
  /** The texts recorded for `watch`, in order. */
  seen(): Promise<string[]>;
  /** Types `text` in the message box and presses Enter. */
  send(text: string): Promise<void>;
  /** Waits until the last answer shows text matching `pattern` (default: any). */
  waitForText(pattern?: RegExp): Promise<void>;
  /** Asserts the last answer is exactly `expected`, kept and shown (white space collapsed). */
  assertAnswer(expected: string): Promise<void>;
  /** Waits until the last answer shows its stats line (its `done` event arrived). */
  waitForDone(timeoutMs?: number): Promise<void>;
  /** The last answer's text as the page keeps it (localStorage), exact. */
  storedAnswer(): Promise<string>;
  /** The last answer's text as shown, with runs of white space made one space. */
  shownAnswer(): Promise<string>;
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** The ids of the serious and critical accessibility violations axe-core finds on `page`. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => violation.id);
  });
}

/**
 * The gateway the page tests run against: a grace period long enough for a reload to find the
 * answer, and few, quick retries so that an upstream failing past them shows its banner soon.
 */
export const chatPageGateway = {
  STREAM_GRACE_MS: "10000",
  RETRY_MAX_ATTEMPTS: "2",
  RETRY_BASE_DELAY_MS: "10",
};

/** The page's address at `origin` with `model` chosen (e.g. a mock model with its knobs). */
export function chatPageUrl(origin: string, model: string): string {
  return `${origin}/?model=${encodeURIComponent(model)}`;
}

/** White space as a reader sees it: runs made one space, none at the ends. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * How to open the page: the browser context's options, and `watch`, a CSS selector whose
 * elements' texts are recorded from the page's start, each distinct one once, in order
 * (read with {@link ChatPage.seen}): states too brief to poll for are caught as they render.
 */
export type ChatPageOptions = BrowserContextOptions & {
  watch?: string;
  /** More scripts to run in the page before its own. */
  initScripts?: string[];
};

/** Runs in the page before its own scripts: see {@link ChatPageOptions.watch}. */
function recordTexts(selector: string) {
  const seen: string[] = [];
  (window as unknown as { seen: string[] }).seen = seen;
  new MutationObserver(() => {
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (!seen.includes(element.innerText)) seen.push(element.innerText);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Runs `check` on a chat page; see {@link useChatPages}. */
export type OnChatPage = (
  context: TestContext,
  url: string,
  check: (chat: ChatPage) => Promise<void>,
  options?: ChatPageOptions & { allowedErrors?: RegExp },
) => Promise<void>;

/**
 * Registers `before`/`after` hooks that start one Debian Chromium for the file's tests and
 * close it, and returns `onChatPage`: it runs `check` on the chat page at `url` in a context
 * of its own, then asserts that the page logged no console error but those `allowedErrors`
 * matches. Without the browser each test is skipped as {@link launchChromium} says (and fails
 * under CI=true).
 */
export function useChatPages(): OnChatPage {
  let browser: Browser | undefined;
  before(async () => {
    if (existsSync(chromiumPath)) {
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    }
  });
  after(async () => {
    await browser?.close();
  });
  return async (context, url, check, options = {}) => {
    if (!browser) {
      await launchChromium(context);
      return;
    }
    const { allowedErrors, ...pageOptions } = options;
    const chat = await openChatPage(browser, url, pageOptions);
    try {
      await check(chat);
      assert.deepEqual(
        chat.errors.filter((error) => !allowedErrors?.test(error)),
        [],
      );
    } finally {
      await chat.page.context().close();
    }
  };
}

/**
 * Opens `url` in a new context (viewport, colour scheme, ...) of `browser`; `watch`, when
 * given, runs in the page before its own scripts (to observe it from the start).
 */
export async function openChatPage(
  browser: Browser,
  url: string,
  options: ChatPageOptions = {},
): Promise<ChatPage> {
  const { watch, initScripts = [], ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  if (watch) await page.addInitScript(recordTexts, watch);
  for (const content of initScripts) await page.addInitScript({ content });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  const answer = () => page.getByRole("article", { name: "Answer" }).last();
  const storedAnswer = () =>
    page.evaluate(() => {
      const chat = JSON.parse(localStorage.getItem("sluice-chat") ?? "{}");
      return String(chat.messages?.at(-1)?.content ?? "");
    });
  const shownAnswer = async () => collapseSpace(await answer().getByTestId("answer").innerText());
  return {
    page,
    errors,
    answer,
    storedAnswer,
    shownAnswer,
    seen: () => page.evaluate(() => (window as unknown as { seen?: string[] }).seen ?? []),
    async send(text) {
      const box = page.getByRole("textbox", { name: "Message" });
      await box.fill(text);
      await box.press("Enter");
    },
    async waitForText(pattern = /\S/) {
      await answer().getByTestId("answer").filter({ hasText: pattern }).waitFor();
    },
    async assertAnswer(expected) {
      assert.equal(await storedAnswer(), expected);
      assert.equal(await shownAnswer(), collapseSpace(expected));
    },
    async waitForDone(timeoutMs = 20_000) {
      await answer().getByTestId("stats").waitFor({ timeout: timeoutMs });
    },
  };
}
