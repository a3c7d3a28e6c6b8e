import type { Socket } from "node:net";
import { SluiceError } from "@sluice/protocol";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { nativeErrorBody } from "./error-body.js";

/**
 * Fastify's own answers to a URL it cannot route (a path parameter over `maxParamLength`,
 * a malformed percent-escape), in the contract's shape instead of Fastify's body.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === "FST_ERR_MAX_PARAM_LENGTH";
  const sluiceError = new SluiceError(
    "invalid_request",
    tooLong ? "A path parameter is too long." : "The request URL is malformed.",
    tooLong ? { status: 414 } : {},
  );
  void reply.code(sluiceError.status).send(nativeErrorBody(sluiceError));
}

const clientErrors: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    message: "The request headers are too large.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    message: "The request took too long to arrive.",
  },
};

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (headers too large,
 * a request that took longer than REQUEST_TIMEOUT_MS or HEADERS_TIMEOUT_MS, malformed HTTP)
 * in the contract's shape, then closes the connection.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const known = clientErrors[error.code ?? ""] ?? {
    status: 400,
    reason: "Bad Request",
    message: "The request is not valid HTTP.",
  };
  const body = JSON.stringify(
    nativeErrorBody(new SluiceError("invalid_request", known.message, { status: known.status })),
  );
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroyed once written: a half-open socket would let a slow client keep holding it.
  socket.end(
    `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
