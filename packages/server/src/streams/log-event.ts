import type { StreamEvent } from "@sluice/protocol";

/**
 * A tool-call fragment. Only runs of the OpenAI-compatible route produce these (the native
 * request has no `tools`), and only its readers see them; native readers never meet one.
 */
export interface ToolCallEvent {
  type: "tool_call";
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

/** What a run appends to its log: the native stream's events, plus tool-call fragments. */
export type LogEvent = StreamEvent | ToolCallEvent;

/** One appended event, numbered from 1 and encoded once as an SSE message for native readers. */
export interface LogEntry {
  readonly seq: number;
  readonly event: LogEvent;
  /** `id: <stream id>:<seq>\ndata: <json>\n\n`; empty for tool-call fragments. */
  readonly frame: string;
}
