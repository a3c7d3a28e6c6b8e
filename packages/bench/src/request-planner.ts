import { mockText, parseMockKnobs } from "@sluice/mock";
import type { BenchScenario } from "./bench-scenario.js";

/** What one request asks for and how its client behaves. */
export interface RequestPlan {
  model: string;
  /** The mock's text for this request; null when the model is not the mock. */
  expectedText: string | null;
  abortAfterTokens: number | null;
  readDelayMs: number | null;
}

/** Distinct texts in rotation: streams crossed by a gateway then show up as mismatches. */
const textVariants = 64;

/** True for `fraction` of the indexes, spread evenly: index i is chosen when ⌊(i+1)f⌋ > ⌊if⌋. */
function chosen(index: number, fraction: number, offset: number): boolean {
  return Math.floor((index + 1) * fraction + offset) > Math.floor(index * fraction + offset);
}

/**
 * Plans each request of a scenario: the model name with the mock's knobs after `?` (for models
 * named `mock…`, e.g. `openai/mock`), the text the mock will send, and which clients abort or
 * read slowly (evenly spread, the same indexes on every run).
 */
export class RequestPlanner {
  readonly #scenario: BenchScenario;
  readonly #baseModel: string;
  readonly #isMock: boolean;
  readonly #texts = new Map<number, string>();

  constructor(scenario: BenchScenario, baseModel: string) {
    this.#scenario = scenario;
    this.#baseModel = baseModel;
    this.#isMock = /^mock\b/.test(baseModel.slice(baseModel.lastIndexOf("/") + 1));
  }

  plan(index: number): RequestPlan {
    const scenario = this.#scenario;
    const plan: RequestPlan = {
      model: this.#baseModel,
      expectedText: null,
      abortAfterTokens: chosen(index, scenario.abort, 0) ? scenario.abortAfter : null,
      readDelayMs: chosen(index, scenario.slow, 0.5) ? scenario.slowDelay : null,
    };
    if (!this.#isMock) return plan;
    const seed = scenario.seed + (index % textVariants);
    const knobText = `tokens=${scenario.tokens}&ttft=${scenario.ttft}&gap=${scenario.gap}&seed=${seed}${scenario.knobs ? `&${scenario.knobs}` : ""}`;
    plan.model = `${this.#baseModel}?${knobText}`;
    let text = this.#texts.get(seed);
    if (text === undefined) {
      const knobs = parseMockKnobs(knobText);
      text = mockText({ tokens: knobs.tokens ?? scenario.tokens, seed, json: knobs.json ?? false });
      this.#texts.set(seed, text);
    }
    plan.expectedText = text;
    return plan;
  }
}
