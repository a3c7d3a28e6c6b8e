import { SluiceError } from "@sluice/protocol";
import type { FastifyRequest } from "fastify";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a JSON body strictly: bytes that are not UTF-8 are refused instead of being turned
 * into U+FFFD, so that nothing a user sent is silently changed.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (error: Error | null, value?: unknown) => void,
): void {
  let text: string;
  try {
    text = typeof body === "string" ? body : utf8.decode(body);
  } catch (error) {
    done(
      new SluiceError("invalid_request", "The request body is not valid UTF-8.", { cause: error }),
    );
    return;
  }
  if (text.trim() === "") {
    // Left to the route: a DELETE may carry a JSON content type and no body; a POST's schema
    // then says what is missing.
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(text));
  } catch (error) {
    done(
      new SluiceError("invalid_request", "The request body is not valid JSON.", { cause: error }),
    );
  }
}
