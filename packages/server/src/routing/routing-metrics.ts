import { Counter, Gauge, type Registry } from "prom-client";
import type { RoutingState } from "./routing-state.js";

/** How one target call of an alias ended. */
export type TargetCallOutcome = "finished" | "fell_back" | "continued" | "failed" | "stopped";

/** Routing's Prometheus metrics: calls by alias, target and outcome; benched targets. */
export class RoutingMetrics {
  readonly #calls: Counter<"alias" | "target" | "outcome">;

  /** Registers on `registry`; the bench gauge asks `state` about `targets` when scraped. */
  constructor(registry: Registry, state: RoutingState, targets: readonly string[]) {
    this.#calls = new Counter({
      name: "sluice_target_calls_total",
      help: "Calls of alias targets, by alias, target and outcome (finished, fell_back, continued, failed, stopped).",
      labelNames: ["alias", "target", "outcome"] as const,
      registers: [registry],
    });
    new Gauge({
      name: "sluice_target_benched_seconds",
      help: "Cool-down left of each alias target benched by its circuit breaker (0: in service).",
      labelNames: ["target"] as const,
      registers: [registry],
      async collect() {
        const health = await state.health(targets);
        targets.forEach((target, index) => {
          this.set({ target }, (health[index]?.benchedForMs ?? 0) / 1000);
        });
      },
    });
  }

  called(alias: string, target: string, outcome: TargetCallOutcome): void {
    this.#calls.inc({ alias, target, outcome });
  }
}
