import { readSse, type StreamEvent } from "@sluice/protocol";

export interface ResumedStream {
  text: string;
  events: { id: string; event: StreamEvent }[];
  /** Connections it took, the first included. */
  connections: number;
}

/**
 * A client that starts a native stream and, whenever the connection ends without a terminal
 * event, resumes it from the last id it saw, the way the contract tells clients to.
 */
export async function streamWithResume(
  url: string,
  body: unknown,
  maxConnections = 10,
): Promise<ResumedStream> {
  const events: ResumedStream["events"] = [];
  let text = "";
  let streamId: string | null = null;
  let lastId: string | undefined;
  for (let connection = 1; connection <= maxConnections; connection += 1) {
    let response: Response;
    try {
      response =
        streamId === null
          ? await fetch(`${url}/api/chat/stream`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            })
          : await fetch(`${url}/api/streams/${streamId}`, {
              headers: lastId ? { "last-event-id": lastId } : {},
            });
    } catch {
      continue;
    }
    streamId ??= response.headers.get("x-stream-id");
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    try {
      for await (const message of readSse(response.body)) {
        const event = JSON.parse(message.data) as StreamEvent;
        if (message.id) lastId = message.id;
        events.push({ id: message.id ?? "", event });
        if (event.type === "token") text += event.content;
        if (event.type === "done" || event.type === "error") {
          return { text, events, connections: connection };
        }
      }
    } catch {
      // A cut connection: resume from the last id.
    }
  }
  throw new Error(`No terminal event after ${maxConnections} connections.`);
}
