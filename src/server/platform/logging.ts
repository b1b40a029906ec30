import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A request as the log shows it: no header values, and the query's values elided, since they are
 * often personal data (a channel read by 身份证 number, a user search by name); the keys stay, so
 * an operator still sees which filters a slow read used.
 */
function requestForLog(req: FastifyRequest) {
  const q = req.url.indexOf('?');
  let url = req.url;
  if (q >= 0) {
    const keys = [...new URLSearchParams(req.url.slice(q + 1)).keys()];
    url = `${req.url.slice(0, q)}?${keys.map((k) => `${encodeURIComponent(k)}=…`).join('&')}`;
  }
  return {
    method: req.method,
    url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * JSON leaves some characters raw that break a line for some readers or act on a terminal: DEL
 * and the C1 controls (0x85 is NEL, a line end to Python's splitlines; 0x9B starts an escape
 * sequence, like ESC [), and U+2028/U+2029. Written as \u escapes they read back the same.
 */
const RAW_BREAKERS = /[\u007f-\u009f\u2028\u2029]/g;
const escapeBreakers = (line: string) =>
  line.replace(RAW_BREAKERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Credentials that must never reach a log, wherever a logged object carries them. */
const REDACT = [
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'password',
  '*.password',
  'currentPassword',
  '*.currentPassword',
  'newPassword',
  '*.newPassword',
];

/**
 * The platform's pino options: every line one JSON object whatever a client sends (pino escapes
 * CR, LF, quotes and C0 controls; the rest is escaped here), and no credential or personal value
 * in it.
 */
export function loggerOptions(level: string) {
  return {
    level,
    serializers: { req: requestForLog },
    redact: { paths: REDACT, censor: '[redacted]' },
    hooks: { streamWrite: escapeBreakers },
  };
}

/**
 * At `trace`, each request's headers are logged too (what a proxy or client really sent), with the
 * credentials among them redacted.
 */
export function traceHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.log.level === 'trace') req.log.trace({ headers: req.headers }, 'request headers');
  });
}
