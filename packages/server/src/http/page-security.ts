import type { FastifyHelmetOptions } from "@fastify/helmet";

/**
 * The security headers of the pages the gateway serves and of their assets (for
 * `@fastify/helmet`): a Content-Security-Policy that allows scripts, styles, fonts, images and
 * API calls from the page's own origin only (no inline script, no eval, no other host),
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and helmet's other defaults.
 * HSTS is left to whoever terminates TLS in front of the gateway.
 */
export const pageSecurity: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      manifestSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  referrerPolicy: { policy: "no-referrer" },
  strictTransportSecurity: false,
};
