import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { pageSecurity } from "../http/page-security.js";

/** packages/client, found from this source file and from the bundle in dist/ that `npm start` runs. */
const clientPackage = ["../../../client", "../packages/client"]
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((candidate) => existsSync(join(candidate, "package.json")));

/**
 * `GET /sluice-client.js`: the client SDK as one ES module (built by `npm run build` into
 * packages/client/dist), so that a page with no build step can `import { streamChat } from
 * "/sluice-client.js"`; and `GET /vanilla.html` (with its `.js` and `.css`), the lesson's page
 * written that way. Served with {@link pageSecurity}'s headers, revalidated on every load.
 * Without a build, `GET /sluice-client.js` answers 404 saying how to build it.
 */
export async function registerClientRoutes(app: FastifyInstance): Promise<void> {
  const roots = ["vanilla", "dist"]
    .map((folder) => (clientPackage ? join(clientPackage, folder) : ""))
    .filter((folder) => folder !== "" && existsSync(folder));
  await app.register(async (scope) => {
    await scope.register(helmet, pageSecurity);
    if (!roots.some((root) => existsSync(join(root, "sluice-client.js")))) {
      scope.get("/sluice-client.js", async (_request, reply) =>
        reply.code(404).send({
          error: {
            type: "not_found",
            message: "The client bundle is not built: run npm run build.",
          },
        }),
      );
    }
    if (roots.length === 0) return;
    await scope.register(fastifyStatic, {
      root: roots,
      // Routes for the files present at start-up only: other paths keep the JSON 404.
      wildcard: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders(response) {
        response.setHeader("cache-control", "no-cache");
      },
    });
  });
}
