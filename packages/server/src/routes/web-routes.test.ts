import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { registerWebRoutes } from "./web-routes.js";

describe("the web page's routes", () => {
  let root: string;
  let app: FastifyInstance;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "sluice-web-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>page</title>");
    writeFileSync(join(root, "assets", "index-Ab12Cd34.js"), "export {};");
    writeFileSync(join(root, "assets", "index-Ef56Gh78.css"), "body{}");
    app = Fastify();
    await registerWebRoutes(app, { root });
  });
  after(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the page at / as HTML that revalidates on every load", async () => {
    const response = await app.inject("/");
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /^text\/html/);
    assert.equal(response.headers["cache-control"], "no-cache");
    assert.equal(response.body, "<!doctype html><title>page</title>");
  });

  it("serves hashed assets with their types, cached for a year", async () => {
    const script = await app.inject("/assets/index-Ab12Cd34.js");
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers["content-type"]), /^(text|application)\/javascript/);
    assert.equal(script.headers["cache-control"], "public, max-age=31536000, immutable");
    const style = await app.inject("/assets/index-Ef56Gh78.css");
    assert.match(String(style.headers["content-type"]), /^text\/css/);
  });

  it("sends a strict Content-Security-Policy, nosniff and a Referrer-Policy on page and assets", async () => {
    for (const path of ["/", "/assets/index-Ab12Cd34.js"]) {
      const { headers } = await app.inject(path);
      const policy = String(headers["content-security-policy"]);
      assert.match(policy, /default-src 'none'/);
      assert.match(policy, /script-src 'self'(;|$)/, "scripts from the page's origin only");
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
      assert.equal(headers["x-content-type-options"], "nosniff");
      assert.equal(headers["referrer-policy"], "no-referrer");
    }
  });

  it("leaves a path that is not a built file to the not-found handler", async () => {
    const response = await app.inject("/assets/missing.js");
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers["content-type"]), /^application\/json/);
  });

  it("answers / with a JSON 404 naming the build step when the page is not built", async () => {
    const bare = Fastify();
    await registerWebRoutes(bare, { root: null });
    const response = await bare.inject("/");
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), {
      error: { type: "not_found", message: "The web page is not built: run npm run build." },
    });
    await bare.close();
  });
});
