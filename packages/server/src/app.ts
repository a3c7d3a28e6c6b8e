import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import { errorTable, type SluiceError } from "@sluice/protocol";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { Redis } from "ioredis";
import { type Logger, pino } from "pino";
import type { Config } from "./config.js";
import { Authenticator } from "./http/authenticate.js";
import { drainRequest } from "./http/drain-request.js";
import { nativeErrorBody, openAIErrorBody, retryHeaders } from "./http/error-body.js";
import { clientErrorHandler, frameworkErrors } from "./http/framework-errors.js";
import { Heartbeat } from "./http/heartbeat.js";
import { parseJsonBody } from "./http/parse-json-body.js";
import { StreamTokens } from "./http/stream-tokens.js";
import { toSluiceError } from "./http/to-sluice-error.js";
import { MemoryStreamLimiter } from "./limits/memory-stream-limiter.js";
import { RedisStreamLimiter } from "./limits/redis-stream-limiter.js";
import { isLimitName, limitError, type StreamLimiter } from "./limits/stream-limiter.js";
import { Metrics } from "./metrics.js";
import { ProviderRegistry } from "./providers/provider-registry.js";
import { registerChatRoutes } from "./routes/chat-routes.js";
import { registerClientRoutes } from "./routes/client-routes.js";
import { registerNativeStreamRoutes } from "./routes/native-stream-routes.js";
import { registerOpenAIRoutes } from "./routes/openai-routes.js";
import { registerOperationRoutes } from "./routes/operation-routes.js";
import type { RouteContext } from "./routes/route-context.js";
import { registerUiChatRoutes } from "./routes/ui-chat-routes.js";
import { registerWebRoutes } from "./routes/web-routes.js";
import { ModelRouting } from "./routing/model-routing.js";
import { MemoryStreamStore } from "./streams/memory-stream-store.js";
import { RedisStreamStore } from "./streams/redis/redis-stream-store.js";
import { StreamService } from "./streams/stream-service.js";
import type { StreamStore } from "./streams/stream-store.js";

export interface AppOptions {
  logger?: Logger;
  /** A store other than the one the config names (tests inject one). */
  store?: StreamStore;
}

export interface App {
  fastify: FastifyInstance;
  streams: StreamService;
  store: StreamStore;
  /** Stops accepting, lets streams finish for SHUTDOWN_GRACE_MS, ends the rest, closes. */
  shutdown(): Promise<void>;
}

/** Builds the gateway: store, providers, stream service and routes, from one config. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL, name: "sluice" });
  let metrics: Metrics | undefined;
  const store =
    options.store ??
    (await createStore(config, logger, (seconds) => metrics?.redisAppendLatency.observe(seconds)));
  const providers = new ProviderRegistry({
    ...(config.OPENAI_API_KEY
      ? { openai: { apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL } }
      : {}),
    ...(config.ANTHROPIC_API_KEY
      ? { anthropic: { apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL } }
      : {}),
    instances: config.routing?.providers,
    defaultModel: config.DEFAULT_MODEL,
    demo: { ttftMs: config.DEMO_TTFT_MS, tokensPerSecond: config.DEMO_TOKENS_PER_SECOND },
    logger,
  });
  let streams: StreamService | undefined;
  metrics = new Metrics({
    activeRuns: () => streams?.activeRuns() ?? 0,
    openResponses: () => heartbeat.size(),
    bufferedBytes: () => heartbeat.bufferedBytes(),
    retained: () => store.retained?.(),
  });
  const heartbeat = new Heartbeat({
    intervalMs: config.HEARTBEAT_MS,
    stallMs: config.READER_STALL_MS > 0 ? config.READER_STALL_MS : Number.POSITIVE_INFINITY,
    onPing: () => metrics.heartbeats.inc(),
    onCut: () => metrics.readersCut.inc(),
  });
  const limits = {
    firstTokenMs: config.FIRST_TOKEN_TIMEOUT_MS,
    idleMs: config.IDLE_TIMEOUT_MS,
    totalMs: config.STREAM_TIMEOUT_MS,
  };
  const retryPolicy = {
    maxAttempts: config.RETRY_MAX_ATTEMPTS,
    baseDelayMs: config.RETRY_BASE_DELAY_MS,
    maxDelayMs: config.RETRY_MAX_DELAY_MS,
  };
  const routing = config.routing
    ? new ModelRouting({
        settings: config.routing,
        providers,
        redisUrl: config.REDIS_URL,
        limits,
        retryPolicy,
        registry: metrics.registry,
        logger,
      })
    : undefined;
  const limitsRedis = config.REDIS_URL ? limitsConnection(config.REDIS_URL, logger) : undefined;
  const limiter = createLimiter(config, limitsRedis, logger);
  streams = new StreamService({
    store,
    providers,
    logger,
    limits,
    retryPolicy,
    limiter,
    onRunStart: (model) => metrics.runStarted(model),
    onRunEnd: (summary) => metrics.runEnded(summary),
  });

  const fastify = Fastify({
    // pino's Logger is Fastify's logger; the cast only drops pino's extra generic.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT,
    // A line per request would drown the stream logs; runs log their own outcome.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Chat ids of up to 256 characters are path parameters (/api/ui/chat/{chatId}/stream).
    routerOptions: { maxParamLength: 512 },
    // Slow clients that trickle headers or a body are cut; the streamed responses are not.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: config.HEADERS_TIMEOUT_MS,
      // Node checks both timeouts on this interval (default 30 s, longer than the limits).
      connectionsCheckingInterval: Math.min(1000, config.HEADERS_TIMEOUT_MS),
    },
    frameworkErrors,
    clientErrorHandler,
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("application/json", { parseAs: "buffer" }, parseJsonBody);
  await fastify.register(cors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ["GET", "POST", "DELETE"],
    allowedHeaders: ["content-type", "authorization", "last-event-id", "x-stream-token-scope"],
    exposedHeaders: [
      "x-stream-id",
      "x-stream-token",
      "retry-after",
      "x-vercel-ai-ui-message-stream",
    ],
  });

  fastify.setErrorHandler(async (thrown, request, reply) => {
    const error = toSluiceError(thrown);
    if (error.type === "rate_limited" && isLimitName(error.param)) {
      metrics.limitRejections.inc({ limit: error.param });
    }
    if (error.type === "payload_too_large") {
      // Read what the client is still sending, else it gets a reset instead of this answer.
      await drainRequest(request.raw, { maxBytes: drainMaxBytes, timeoutMs: drainTimeoutMs });
    }
    if (error.type === "unknown") request.log.error({ err: thrown }, "request failed");
    const openAI = request.url.startsWith("/v1/");
    reply.code(error.status).headers(retryHeaders(error));
    if (error.type === "rate_limited" && !openAI) reply.header("retry-after", retryAfter(error));
    return reply.send(openAI ? openAIErrorBody(error) : nativeErrorBody(error));
  });
  fastify.setNotFoundHandler((request, reply) => {
    const message = `No route for ${request.method} ${request.url.split("?")[0]}.`;
    const body = { error: { type: "not_found", message } };
    return reply
      .code(errorTable.not_found.status)
      .send(
        request.url.startsWith("/v1/")
          ? { error: { message, type: "invalid_request_error", param: null, code: "not_found" } }
          : body,
      );
  });
  fastify.addHook("onResponse", async (request, reply) => {
    metrics.requests.inc({
      route: request.routeOptions.url ?? "unknown",
      status: reply.statusCode,
    });
  });

  const auth = new Authenticator(config.SLUICE_API_KEYS);
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    await fastify.register(rateLimit, {
      max: config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      // With Redis the count is shared by every instance; while Redis is away, requests pass.
      ...(limitsRedis
        ? { redis: limitsRedis, nameSpace: "sluice:limits:requests:", skipOnError: true }
        : {}),
      // Per API key when auth is on (a bad key falls back to the address), else per address.
      keyGenerator: (request) => {
        try {
          return auth.enabled ? auth.owner(request.headers.authorization) : request.ip;
        } catch {
          return request.ip;
        }
      },
      errorResponseBuilder: (_request, limit) =>
        limitError(
          "requests_per_minute",
          `Rate limit of ${limit.max} requests a minute reached.`,
          limit.ttl,
        ),
    });
  }
  const tokens = new StreamTokens({
    secret: config.SLUICE_TOKEN_SECRET,
    // By default a token lives as long as its stream can: running (an hour when unlimited), then retained.
    ttlMs:
      config.STREAM_TOKEN_TTL_MS || (config.STREAM_TIMEOUT_MS || 3_600_000) + config.STREAM_TTL_MS,
  });
  const context: RouteContext = {
    tokens,
    config,
    logger,
    streams,
    store,
    providers,
    auth,
    heartbeat,
    metrics,
    routing,
  };
  fastify.addHook("onClose", async () => routing?.close());
  fastify.addHook("onClose", async () => {
    await limiter?.close();
    limitsRedis?.disconnect();
  });
  registerNativeStreamRoutes(fastify, context);
  registerChatRoutes(fastify, context);
  registerOpenAIRoutes(fastify, context);
  registerUiChatRoutes(fastify, context);
  registerOperationRoutes(fastify, context);
  await registerWebRoutes(fastify);
  await registerClientRoutes(fastify);

  const service = streams;
  return {
    fastify,
    streams: service,
    store,
    async shutdown() {
      // A connection whose stream ends from now on closes at once: otherwise the clients'
      // idle keep-alive connections would hold the exit for the server's keep-alive timeout.
      fastify.server.keepAliveTimeout = 1;
      const closing = fastify.close();
      await service.shutdown(config.SHUTDOWN_GRACE_MS);
      await closing;
      await store.close();
    },
  };
}

/** One connection for the limits, failing at once while Redis is away (then requests pass). */
function limitsConnection(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
  });
  redis.on("error", (error: Error) => logger.debug({ err: error }, "limits: Redis error"));
  return redis;
}

/** The concurrency and token limits: across instances with Redis, else in this process. */
function createLimiter(
  config: Config,
  redis: Redis | undefined,
  logger: Logger,
): StreamLimiter | undefined {
  const limits = {
    maxConcurrent: config.MAX_CONCURRENT_STREAMS,
    tokensPerMinute: config.TOKENS_PER_MINUTE,
  };
  if (limits.maxConcurrent === 0 && limits.tokensPerMinute === 0) return undefined;
  return redis
    ? new RedisStreamLimiter({ redis, limits, leaseMs: config.REDIS_LEASE_MS, logger })
    : new MemoryStreamLimiter(limits);
}

/** How much of a refused body is read and discarded so the client reads the 413. */
const drainMaxBytes = 64 * 1024 * 1024;
const drainTimeoutMs = 10_000;

function retryAfter(error: SluiceError): string {
  return String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)));
}

async function createStore(
  config: Config,
  parentLogger: Logger,
  onAppendLatency: (seconds: number) => void,
): Promise<StreamStore> {
  if (!config.REDIS_URL) return new MemoryStreamStore({ ttlMs: config.STREAM_TTL_MS });
  const logger = parentLogger.child({ store: "redis" });
  const store = new RedisStreamStore({
    url: config.REDIS_URL,
    ttlMs: config.STREAM_TTL_MS,
    leaseMs: config.REDIS_LEASE_MS,
    logger,
    onAppendLatency,
  });
  // Start serving either way: /readyz reports Redis, and the store catches up when it is back.
  if (!(await store.whenReady(AbortSignal.timeout(5000)))) {
    logger.warn("Redis is not reachable yet; streams stay on this instance until it is");
  }
  return store;
}
