/** What routing knows of one target when it picks. */
export interface TargetHealth {
  /** Generations the target is running (on this instance, or on all with Redis). */
  busy: number;
  /** How long the target stays benched by its circuit breaker (ms; 0 when it is not). */
  benchedForMs: number;
}

/** When a target's failures bench it. */
export interface BreakerSettings {
  /** Failures in a row that bench the target. */
  failureThreshold: number;
  /** How long it stays benched (ms). */
  cooldownMs: number;
}

/**
 * The shared part of routing: running generations per target (for `least-busy`) and each
 * target's circuit breaker. In memory for one instance, or in Redis for all of them. Writes
 * never fail the request that makes them: a store that cannot be reached is logged and the
 * instance routes on what it knows itself.
 */
export interface RoutingState {
  /** The health of each of `targets`, in order. */
  health(targets: readonly string[]): Promise<TargetHealth[]>;
  /** A generation on `target` started. */
  started(target: string): void;
  /** A generation on `target` ended, however it ended. */
  ended(target: string): void;
  /** `target` failed; benches it once `failureThreshold` failures came in a row. */
  failed(target: string, breaker: BreakerSettings): void;
  /** `target` answered: its run of failures is over. */
  succeeded(target: string): void;
  close(): Promise<void>;
}
