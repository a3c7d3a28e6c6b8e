import { DefaultChatTransport, type UIMessage } from "ai";

/** Where Sluice runs; set VITE_SLUICE_URL when building for another host. */
const sluiceUrl: string = import.meta.env.VITE_SLUICE_URL ?? "http://127.0.0.1:8787";
/** One of the gateway's SLUICE_API_KEYS, when auth is on. */
const apiKey: string | undefined = import.meta.env.VITE_SLUICE_API_KEY;
/** `provider/model`; the gateway's DEFAULT_MODEL when unset. */
const model: string | undefined = import.meta.env.VITE_SLUICE_MODEL;

const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};

/** The AI SDK's own transport, pointed at Sluice: no server code of the app's. */
export const transport = new DefaultChatTransport<UIMessage>({
  api: `${sluiceUrl}/api/ui/chat`,
  headers,
  body: model ? { model } : {},
});

/**
 * Stops the generation on the server. `useChat`'s own `stop()` only hangs up, and Sluice
 * keeps a hung-up generation running for its grace period so that a reload can resume it.
 */
export async function stopOnServer(chatId: string): Promise<void> {
  await fetch(`${sluiceUrl}/api/ui/chat/${encodeURIComponent(chatId)}/stream`, {
    method: "DELETE",
    headers,
  });
}
