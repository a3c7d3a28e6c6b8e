import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";

/** The AI SDK's own transport, pointed at a gateway's `/api/ui/chat`. */
export function uiChatTransport(
  gatewayUrl: string,
  options: { apiKey?: string; body?: object } = {},
): DefaultChatTransport<UIMessage> {
  return new DefaultChatTransport<UIMessage>({
    api: `${gatewayUrl}/api/ui/chat`,
    ...(options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {}),
    ...(options.body ? { body: options.body } : {}),
  });
}

/** A user message as `useChat` builds it. */
export function userMessage(text: string, id = `user-${text.length}`): UIMessage {
  return { id, role: "user", parts: [{ type: "text", text }] };
}

/** The message `ai`'s own `readUIMessageStream` assembles from the whole chunk stream. */
export async function finalMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) {
    last = message;
  }
  if (!last) throw new Error("The stream held no message.");
  return last;
}

/** The concatenated text parts of a message. */
export function textOfMessage(message: UIMessage): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** Every chunk of a stream, in order. */
export async function allChunks(stream: ReadableStream<UIMessageChunk>): Promise<UIMessageChunk[]> {
  const chunks: UIMessageChunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value);
  }
  return chunks;
}

/** Reads chunks until `count` text deltas came, then aborts the request; returns what came. */
export async function readUntilDeltas(
  stream: ReadableStream<UIMessageChunk>,
  count: number,
  controller: AbortController,
): Promise<UIMessageChunk[]> {
  const chunks: UIMessageChunk[] = [];
  const reader = stream.getReader();
  let deltas = 0;
  while (deltas < count) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    if (next.value.type === "text-delta") deltas += 1;
  }
  controller.abort();
  // Cancelling a reader whose request was just aborted rejects with that abort: expected.
  await reader.cancel().catch(() => undefined);
  return chunks;
}
