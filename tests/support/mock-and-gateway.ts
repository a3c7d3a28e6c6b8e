import { after, before } from "node:test";
import { type MockOptions, type MockServer, startMock } from "@sluice/mock";
import { startGateway, type TestGateway, upstreamEnvironment } from "./gateway.js";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process.js";

/** Variables set on top of {@link upstreamEnvironment}; `undefined` removes one. */
export type GatewayEnvironment = Record<string, string | undefined>;

/** The mock upstream and the gateway in front of it, readable once the suite has started. */
export interface MockAndGateway<Gateway = TestGateway> {
  readonly mock: MockServer;
  readonly gateway: Gateway;
}

/** How a suite starts and stops its kind of gateway. */
interface GatewayKind<Gateway> {
  start(environment: Record<string, string>): Promise<Gateway>;
  stop(gateway: Gateway): Promise<unknown>;
}

const inProcess: GatewayKind<TestGateway> = {
  start: startGateway,
  stop: (gateway) => gateway.close(),
};

const ownProcess: GatewayKind<GatewayProcess> = {
  start: startGatewayProcess,
  stop: (gateway) => gateway.stop(),
};

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
  return useMockAnd(inProcess, environment, mockOptions);
}

/**
 * {@link useMockAndGateway} with the gateway in a process of its own (`sluice serve`), killed
 * by PID after the suite: for tests that measure its memory, signal it or need its own sockets.
 */
export function useMockAndGatewayProcess(
  environment: GatewayEnvironment | ((mockUrl: string) => GatewayEnvironment) = {},
  mockOptions: MockOptions = {},
): MockAndGateway<GatewayProcess> {
  return useMockAnd(ownProcess, environment, mockOptions);
}

function useMockAnd<Gateway>(
  kind: GatewayKind<Gateway>,
  environment: GatewayEnvironment | ((mockUrl: string) => GatewayEnvironment),
  mockOptions: MockOptions,
): MockAndGateway<Gateway> {
  let mock: MockServer | undefined;
  let gateway: Gateway | undefined;
  before(async () => {
    mock = await startMock(mockOptions);
    const extra = typeof environment === "function" ? environment(mock.url) : environment;
    const merged: Record<string, string> = upstreamEnvironment(mock.url);
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    gateway = await kind.start(merged);
  });
  after(async () => {
    if (gateway !== undefined) await kind.stop(gateway);
    await mock?.close();
  });
  return {
    get mock() {
      if (!mock) throw new Error("The mock starts in the suite's before hook.");
      return mock;
    },
    get gateway() {
      if (gateway === undefined) throw new Error("The gateway starts in the suite's before hook.");
      return gateway;
    },
  };
}
