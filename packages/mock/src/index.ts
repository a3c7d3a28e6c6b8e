export { type MockFault, type MockKnobs, parseMockKnobs } from "./mock-knobs.js";
export type { MockStats, WaitForOptions } from "./mock-stats.js";
export { type MockTokensOptions, mockText, mockTokens } from "./mock-tokens.js";
export { runMockCommand } from "./run-mock-command.js";
export {
  type MockOptions,
  type MockRequestRecord,
  type MockServer,
  startMock,
} from "./start-mock.js";
