export { type App, type AppOptions, buildApp } from "./app.js";
export { type Config, loadConfig } from "./config.js";
export { runServeCommand } from "./serve-command.js";
export { MemoryStreamStore } from "./streams/memory-stream-store.js";
export type { StreamLog, WritableStreamLog } from "./streams/stream-log.js";
export type { StreamStore } from "./streams/stream-store.js";
