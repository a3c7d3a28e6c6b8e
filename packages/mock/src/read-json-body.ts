import type { IncomingMessage } from "node:http";

/** A request body read as a JSON object, or the HTTP status and message to refuse it with. */
export type JsonBody =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413; message: string };

/**
 * Reads `request`'s body as a JSON object of at most `limitBytes`. Rejects when the
 * connection fails while the body is read.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      return { ok: false, status: 413, message: `The request body exceeds ${limitBytes} bytes.` };
    }
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return { ok: false, status: 400, message: "We could not parse the JSON body of your request." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, message: "The request body must be a JSON object." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
