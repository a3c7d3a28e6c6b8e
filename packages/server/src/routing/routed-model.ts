import { SluiceError } from "@sluice/protocol";
import { UsageCounter } from "../pipeline/usage-counter.js";
import { type RetryPolicy, withRetries } from "../pipeline/with-retries.js";
import { type TimeoutLimits, withTimeouts } from "../pipeline/with-timeouts.js";
import { AnthropicProvider } from "../providers/anthropic-provider.js";
import type {
  ProviderEmit,
  ProviderEvent,
  ProviderRequest,
  ProviderSource,
} from "../providers/provider.js";
import type { ResolvedModel, RoutingProvider } from "../providers/provider-registry.js";
import { continuationRequest } from "./continuation-request.js";
import { orderTargets } from "./order-targets.js";
import type { RoutingMetrics } from "./routing-metrics.js";
import type { ModelAlias } from "./routing-settings.js";
import type { RoutingState } from "./routing-state.js";
import { describeFailure, isTargetFailure } from "./target-failure.js";

export interface RoutedModelOptions {
  alias: ModelAlias;
  /** The provider and model of a target (the registry's `resolve`). */
  resolve: (target: string) => ResolvedModel;
  state: RoutingState;
  /** Per target call: time to its first token, and its longest silence after (ms; 0 is off). */
  limits: { firstTokenMs: number; idleMs: number };
  /** Per target call, before its first token. */
  retryPolicy: Partial<RetryPolicy>;
  metrics?: RoutingMetrics | undefined;
}

type Usage = { promptTokens: number; completionTokens: number; estimated: boolean };

/**
 * A model alias as a provider: each request goes to the target its strategy picks, and on to
 * the next one when that target fails (after its own retries and timeouts, or at once on a
 * 401/403/404), with a `status` event that says so. With `continue_on_failure`, a target that
 * fails after text went out is continued by the next: it gets the partial answer as a trailing
 * `assistant` message, and what it streams is appended. The final `finish` names the target
 * that finished (`model`), and one `usage` adds up every call that streamed a part of the
 * answer (estimated, and flagged so, for a call cut before it reported usage). An answer with
 * a tool call in it is never continued: its failure is thrown, retryable.
 */
export class RoutedModel implements RoutingProvider {
  readonly name: string;
  readonly #options: RoutedModelOptions;
  readonly #timeouts: TimeoutLimits;
  #turn = 0;

  constructor(options: RoutedModelOptions) {
    this.#options = options;
    this.name = options.alias.name;
    const { firstTokenMs, idleMs } = options.limits;
    this.#timeouts = {
      ...(firstTokenMs > 0 ? { firstTokenMs } : {}),
      ...(idleMs > 0 ? { idleMs } : {}),
    };
  }

  /** The alias's targets, `provider/model`. */
  get targets(): readonly string[] {
    return this.#options.alias.targets;
  }

  async listModels(): Promise<string[]> {
    return [];
  }

  async admit(): Promise<void> {
    const health = await this.#options.state.health(this.targets);
    if (health.some((target) => target.benchedForMs === 0)) return;
    const retryAfterMs = Math.min(...health.map((target) => target.benchedForMs));
    throw new SluiceError(
      "max_retries",
      `Every target of "${this.name}" is failing; try again in ${Math.ceil(retryAfterMs / 1000)}s.`,
      { status: 503, retryAfterMs },
    );
  }

  async stream(request: ProviderRequest, signal: AbortSignal, emit: ProviderEmit): Promise<void> {
    const { alias, state, metrics } = this.#options;
    const health = await state.health(alias.targets);
    const targets = orderTargets(alias.targets, alias.strategy, health, this.#turn++);
    if (targets.length === 0) {
      await this.admit();
      // A cool-down ended meanwhile: every target may be tried again.
      targets.push(...alias.targets);
    }
    const keepAnswer = alias.continueOnFailure;
    let answer = "";
    let contentSent = false;
    let toolCalls = false;
    let spent: Usage | undefined;
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index] as string;
      const resolved = this.#options.resolve(target);
      const anthropic = resolved.provider instanceof AnthropicProvider;
      const callRequest = contentSent
        ? continuationRequest({ ...request, model: resolved.model }, answer, anthropic)
        : { ...request, model: resolved.model };
      const answerBefore = answer.length;
      // Anthropic's prefill lost its trailing whitespace; the continuation brings it again.
      let trimStart = contentSent && anthropic && /\s$/.test(answer);
      let usage: Usage | undefined;
      // One closure per target call, not per event: the per-token path stays synchronous.
      const forward = (event: ProviderEvent): void => {
        if (event.type === "text") {
          let text = event.text;
          if (trimStart) {
            text = text.trimStart();
            if (text === "") return;
            trimStart = false;
          }
          contentSent = true;
          if (keepAnswer) answer += text;
          emit(text === event.text ? event : { type: "text", text });
        } else if (event.type === "usage") {
          usage = { ...event, estimated: event.estimated === true };
        } else if (event.type === "finish") {
          state.succeeded(target);
          metrics?.called(alias.name, target, "finished");
          const total = spent
            ? add(spent, usage ?? estimate(callRequest, answer.slice(answerBefore)))
            : usage;
          if (total) emit({ type: "usage", ...total });
          emit({ ...event, model: target });
        } else {
          if (event.type === "tool_call") {
            contentSent = true;
            toolCalls = true;
          }
          emit(event);
        }
      };
      state.started(target);
      try {
        await this.#call(resolved, callRequest)(signal, forward);
        return;
      } catch (error) {
        if (signal.aborted || !(error instanceof SluiceError) || !isTargetFailure(error)) {
          metrics?.called(alias.name, target, signal.aborted ? "stopped" : "failed");
          throw error;
        }
        state.failed(target, alias);
        const next = targets[index + 1];
        const why = describeFailure(resolved.provider.name, error);
        if (!contentSent) {
          if (next === undefined) {
            metrics?.called(alias.name, target, "failed");
            throw error;
          }
          metrics?.called(alias.name, target, "fell_back");
          emit({ type: "status", message: `Falling back to ${next}: ${why}` });
          continue;
        }
        if (next === undefined || !alias.continueOnFailure || toolCalls) {
          metrics?.called(alias.name, target, "failed");
          if (error.retryable) throw error;
          throw new SluiceError(error.type, error.message, { retryable: true, cause: error });
        }
        metrics?.called(alias.name, target, "continued");
        const cut = usage ?? estimate(callRequest, answer.slice(answerBefore));
        spent = spent ? add(spent, cut) : cut;
        emit({ type: "status", message: `Continuing on ${next}: ${why}` });
      } finally {
        state.ended(target);
      }
    }
  }

  /** One target's call, with its own retries before the first token and its own timeouts. */
  #call(resolved: ResolvedModel, request: ProviderRequest): ProviderSource {
    return withRetries(
      withTimeouts(
        (signal, emit) => resolved.provider.stream(request, signal, emit),
        this.#timeouts,
      ),
      this.#options.retryPolicy,
    );
  }
}

function estimate(request: ProviderRequest, text: string): Usage {
  const counter = new UsageCounter(request);
  counter.addText(text);
  const { prompt_tokens, completion_tokens } = counter.result();
  return { promptTokens: prompt_tokens, completionTokens: completion_tokens, estimated: true };
}

function add(left: Usage, right: Usage): Usage {
  return {
    promptTokens: left.promptTokens + right.promptTokens,
    completionTokens: left.completionTokens + right.completionTokens,
    estimated: left.estimated || right.estimated,
  };
}
