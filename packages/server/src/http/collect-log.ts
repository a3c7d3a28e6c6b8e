import type { DoneEvent, ErrorEvent, ToolCallEvent } from "@sluice/protocol";
import type { StreamLog } from "../streams/stream-log.js";
import { readLog } from "./read-log.js";

export interface CollectedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface CollectedAnswer {
  content: string;
  toolCalls: CollectedToolCall[];
  terminal: DoneEvent | ErrorEvent;
}

/** Reads a whole stream, for the non-streaming routes: the text, tool calls and how it ended. */
export async function collectLog(log: StreamLog, signal: AbortSignal): Promise<CollectedAnswer> {
  const parts: string[] = [];
  const toolCalls: CollectedToolCall[] = [];
  let terminal: DoneEvent | ErrorEvent | undefined;
  for await (const entries of readLog(log, 0, signal)) {
    for (const { event } of entries) {
      if (event.type === "token") parts.push(event.content);
      else if (event.type === "tool_call") addToolCall(toolCalls, event);
      else if (event.type === "done" || event.type === "error") terminal = event;
    }
  }
  if (!terminal) throw new Error(`Stream ${log.id} ended without a terminal event.`);
  return { content: parts.join(""), toolCalls, terminal };
}

function addToolCall(toolCalls: CollectedToolCall[], event: ToolCallEvent): void {
  let call = toolCalls[event.index];
  if (!call) {
    call = { id: "", name: "", arguments: "" };
    toolCalls[event.index] = call;
  }
  if (event.id) call.id = event.id;
  if (event.name) call.name += event.name;
  if (event.arguments) call.arguments += event.arguments;
}
