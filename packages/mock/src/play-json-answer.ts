import type { OutgoingHttpHeaders } from "node:http";
import { type AnswerPlan, singleWriteScript } from "./answer-plan.js";
import type { MockExchange } from "./mock-exchange.js";
import { lastTokenDelay } from "./token-pacer.js";

/** A non-streamed answer: its status, its headers besides the JSON ones, and its body. */
export interface JsonAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  text: string;
}

/**
 * Plays a non-streamed answer: `answer.text` as JSON in one write, once the knobs' pace would
 * have sent the plan's last token, ending (cut, stalled or whole) as the plan says.
 */
export function playJsonAnswer(exchange: MockExchange, plan: AnswerPlan, answer: JsonAnswer): void {
  exchange.play({
    status: answer.status,
    headers: {
      ...answer.headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(answer.text),
    },
    script: singleWriteScript(answer.text),
    ending: plan.ending,
    delayMs: lastTokenDelay(exchange.knobs, plan.count),
  });
}
