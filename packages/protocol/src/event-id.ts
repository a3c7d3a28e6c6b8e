import { SluiceError } from "./sluice-error.js";

/** Stream ids are base64url; 24 characters carry 144 random bits. */
const eventIdPattern = /^([A-Za-z0-9_-]{16,64}):([0-9]{1,15})$/;

/** An event's SSE id: `<stream id>:<seq>`. */
export function formatEventId(streamId: string, seq: number): string {
  return `${streamId}:${seq}`;
}

export interface EventPosition {
  streamId: string;
  seq: number;
}

/** Parses a `Last-Event-ID`; a malformed one is an `invalid_request`, never a guess. */
export function parseEventId(value: string): EventPosition {
  const match = eventIdPattern.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new SluiceError(
      "invalid_request",
      "Malformed Last-Event-ID: expected <stream id>:<seq>.",
      {
        param: "Last-Event-ID",
      },
    );
  }
  return { streamId: match[1], seq: Number(match[2]) };
}
