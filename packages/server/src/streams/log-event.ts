import type { LogEvent } from "@sluice/protocol";

/** One appended event, numbered from 1 and encoded once as an SSE message for native readers. */
export interface LogEntry {
  readonly seq: number;
  readonly event: LogEvent;
  /** `id: <stream id>:<seq>\ndata: <json>\n\n`; empty for tool-call fragments. */
  readonly frame: string;
}
