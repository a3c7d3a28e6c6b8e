import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { pageSecurity } from "../http/page-security.js";

/**
 * Where `npm run build` puts the page (packages/web/dist): found from this source file, and
 * from the bundle in dist/ that `npm start` runs.
 */
const candidates = ["../../../web/dist", "../packages/web/dist"].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

/** Vite names assets after a hash of their content, so a cached copy is never stale. */
const immutable = "public, max-age=31536000, immutable";

/**
 * `GET /` and its assets: the chat page built from packages/web, with {@link pageSecurity}'s
 * headers (from `options.root`, default packages/web/dist; `null`: not built). The page revalidates on every load (`no-cache`); hashed assets under `/assets/`
 * are cached for a year. Without a build, `GET /` answers 404 saying how to build it.
 */
export async function registerWebRoutes(
  app: FastifyInstance,
  options: { root?: string | null } = {},
): Promise<void> {
  const root =
    options.root === undefined
      ? candidates.find((candidate) => existsSync(join(candidate, "index.html")))
      : options.root;
  await app.register(async (scope) => {
    await scope.register(helmet, pageSecurity);
    if (!root) {
      scope.get("/", async (_request, reply) =>
        reply.code(404).send({
          error: { type: "not_found", message: "The web page is not built: run npm run build." },
        }),
      );
      return;
    }
    await scope.register(fastifyStatic, {
      root,
      // Routes for the files present at start-up only: other paths keep the JSON 404.
      wildcard: false,
      cacheControl: false,
      setHeaders(response, path) {
        const asset = path.startsWith(join(root, "assets"));
        response.setHeader("cache-control", asset ? immutable : "no-cache");
      },
    });
  });
}
