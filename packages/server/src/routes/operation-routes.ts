import type { FastifyInstance } from "fastify";
import type { RouteContext } from "./route-context.js";

/** Liveness, readiness (the store, Redis when used) and Prometheus metrics. */
export function registerOperationRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, metrics, streams } = context;
  let shuttingDown = false;
  app.addHook("onClose", async () => {
    shuttingDown = true;
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const storeReady = await store.ready(AbortSignal.timeout(2000)).catch(() => false);
    // Benched targets do not make the instance unready: its other models still answer.
    const benched = await context.routing?.benched();
    const ready = storeReady && !shuttingDown;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? "ready" : "not_ready",
      store: { kind: context.config.REDIS_URL ? "redis" : "memory", ready: storeReady },
      active_generations: streams.activeRuns(),
      ...(benched ? { routing: { benched_targets: benched } } : {}),
    });
  });

  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
