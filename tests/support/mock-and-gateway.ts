import { after, before } from "node:test";
import { type MockOptions, type MockServer, startMock } from "@sluice/mock";
import { startGateway, type TestGateway, upstreamEnvironment } from "./gateway.js";

/** Variables set on top of {@link upstreamEnvironment}; `undefined` removes one. */
export type GatewayEnvironment = Record<string, string | undefined>;

/** The mock upstream and the gateway in front of it, readable once the suite has started. */
export interface MockAndGateway {
  readonly mock: MockServer;
  readonly gateway: TestGateway;
}

/**
 * Registers `before`/`after` hooks in the current `describe`: before its tests, a mock upstream
 * (started with `mockOptions`) and an in-process gateway pointed at it, configured by
 * `upstreamEnvironment(mock.url)` plus `environment` (or what it returns for the mock's URL);
 * after them, both closed. Hooks run in the order they were registered: a `before` registered
 * after this call finds both running; an `after` that still needs them goes before this call.
 */
export function useMockAndGateway(
  environment: GatewayEnvironment | ((mockUrl: string) => GatewayEnvironment) = {},
  mockOptions: MockOptions = {},
): MockAndGateway {
  let mock: MockServer | undefined;
  let gateway: TestGateway | undefined;
  before(async () => {
    mock = await startMock(mockOptions);
    const extra = typeof environment === "function" ? environment(mock.url) : environment;
    const merged: Record<string, string> = upstreamEnvironment(mock.url);
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    gateway = await startGateway(merged);
  });
  after(async () => {
    await gateway?.close();
    await mock?.close();
  });
  return {
    get mock() {
      if (!mock) throw new Error("The mock starts in the suite's before hook.");
      return mock;
    },
    get gateway() {
      if (!gateway) throw new Error("The gateway starts in the suite's before hook.");
      return gateway;
    },
  };
}
