import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/** The page ships beside the source; the bundle in dist/ finds it one level up. */
const candidates = ["../../public/index.html", "../packages/server/public/index.html"].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

/** `GET /`: the chat page. */
export function registerWebRoutes(app: FastifyInstance): void {
  const path = candidates.find((candidate) => existsSync(candidate));
  let page: Promise<string> | undefined;
  app.get("/", async (_request, reply) => {
    if (!path)
      return reply
        .code(404)
        .send({ error: { type: "not_found", message: "No web page was built." } });
    page ??= readFile(path, "utf8");
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(await page);
  });
}
