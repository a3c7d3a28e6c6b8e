import { SluiceError, type UiChatRequest } from "@sluice/protocol";
import type { StartStreamOptions } from "../streams/stream-service.js";
import { uiMessagesToProvider } from "./ui-messages-to-provider.js";

/**
 * How a `POST /api/ui/chat` starts its run: the history as provider messages after the
 * `system` prompt, the app's tools and output options, and a grace period unless the app
 * asked a hang-up to cancel (`on_disconnect: "cancel"`). An `invalid_request` error when no
 * message has anything a provider could answer.
 */
export function uiChatStartOptions(
  owner: string,
  body: UiChatRequest,
  graceMs: number,
): StartStreamOptions {
  const history = uiMessagesToProvider(body.messages);
  if (!history.some((message) => message.role === "user")) {
    throw new SluiceError("invalid_request", "The messages hold no user text to answer.", {
      param: "messages",
    });
  }
  return {
    owner,
    model: body.model,
    request: {
      messages:
        body.system === undefined
          ? history
          : [{ role: "system", content: body.system }, ...history],
      ...(body.tools === undefined ? {} : { tools: body.tools }),
      ...(body.tool_choice === undefined ? {} : { tool_choice: body.tool_choice }),
      ...(body.response_format === undefined ? {} : { response_format: body.response_format }),
      ...(body.max_tokens === undefined ? {} : { max_tokens: body.max_tokens }),
      ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    },
    graceMs: body.on_disconnect === "cancel" ? 0 : graceMs,
    smooth: body.smooth,
    responseFormat: body.response_format,
  };
}
