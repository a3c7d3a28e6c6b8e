import type { AddressInfo } from "node:net";
import { type App, buildApp, loadConfig } from "@sluice/server";

export interface TestGateway {
  url: string;
  app: App;
  close(): Promise<void>;
}

/** A gateway in this process on a free port, configured as the environment would. */
export async function startGateway(environment: Record<string, string> = {}): Promise<TestGateway> {
  const config = loadConfig({ LOG_LEVEL: "silent", PORT: "0", ...environment });
  const app = await buildApp(config);
  await app.fastify.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.fastify.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      app.fastify.server.closeAllConnections();
      await app.fastify.close();
      await app.store.close();
    },
  };
}

/** The environment that points both providers at a mock upstream. */
export function upstreamEnvironment(mockUrl: string): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-test-upstream-secret",
    OPENAI_BASE_URL: `${mockUrl}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-test-upstream-secret",
    ANTHROPIC_BASE_URL: mockUrl,
  };
}
