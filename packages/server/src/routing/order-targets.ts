import type { RoutingStrategy } from "./routing-file.js";
import type { TargetHealth } from "./routing-state.js";

/**
 * The targets a request tries, first choice first, benched ones left out: `fallback` keeps
 * the configured order; `round-robin` starts at target `turn` (mod their number) and goes
 * round; `least-busy` puts the fewest running generations first, ties in round-robin order so
 * that idle targets share the load. `health` is in the order of `targets`.
 */
export function orderTargets(
  targets: readonly string[],
  strategy: RoutingStrategy,
  health: readonly TargetHealth[],
  turn: number,
): string[] {
  const indexes = targets.map((_target, index) => index);
  if (strategy !== "fallback") {
    const start = turn % targets.length;
    indexes.push(...indexes.splice(0, start));
  }
  if (strategy === "least-busy") {
    // Array.prototype.sort is stable: equal counts keep their round-robin order.
    indexes.sort((left, right) => (health[left]?.busy ?? 0) - (health[right]?.busy ?? 0));
  }
  return indexes
    .filter((index) => (health[index]?.benchedForMs ?? 0) === 0)
    .map((index) => targets[index] as string);
}
