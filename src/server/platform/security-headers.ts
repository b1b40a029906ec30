import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The portal's pages: helmet's defaults with a policy that allows only our own scripts and styles.
 */
const PAGE_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
};

/**
 * API answers are data, never documents: nothing may load from them, frame them or keep a copy
 * (shared data holds personal information). The set OWASP recommends for REST services.
 */
const API_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // These govern documents and old browsers' plug-ins; a JSON answer has no use for them.
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** The headers helmet sets for `options`, worked out once: they do not depend on the request. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, res as never, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * Security headers and the request id on every answer, in one synchronous hook: helmet's
 * headers, computed at start-up rather than per request, plus `cache-control: no-store` on the API.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const page = helmetHeaders(PAGE_OPTIONS);
  const api = { ...helmetHeaders(API_OPTIONS), 'cache-control': 'no-store' };
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.url.startsWith('/api/v1/') ? api : page);
    reply.header('x-request-id', req.id);
    done();
  });
}
