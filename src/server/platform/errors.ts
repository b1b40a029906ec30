import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, fromDatabaseError, type ErrorCode } from '../../lib/errors.js';

type Lang = 'zh' | 'en';
const lang = (req: FastifyRequest): Lang =>
  /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh';

/** Names the field and the rule of the first schema violation. */
function fromValidation(err: FastifyError): AppError {
  const v = err.validation![0];
  const params = (v.params ?? {}) as Record<string, unknown>;
  const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const child = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const field = [base, child].filter(Boolean).join('.') || err.validationContext || 'body';
  const rule =
    v.keyword === 'additionalProperties'
      ? 'unknown_property'
      : v.keyword === 'required'
        ? 'required'
        : v.keyword;
  return new AppError('VALIDATION_FAILED', {
    field,
    rule,
    in: err.validationContext,
    message: v.message,
    ...('limit' in params ? { limit: params.limit } : {}),
  });
}

function classify(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) return fromValidation(err);
  const translated = fromDatabaseError(err);
  if (translated instanceof AppError) return translated;
  const status = err.statusCode ?? 500;
  if (status === 429) return new AppError('RATE_LIMITED');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (status === 404) return new AppError('NOT_FOUND');
  if (status >= 400 && status < 500) return new AppError('BAD_REQUEST', { reason: err.code });
  return new AppError('INTERNAL');
}

/**
 * Sends the one error shape: `{ error: { code, message, details } }`. 5xx bodies say nothing
 * internal.
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, error: AppError) {
  const text = ERROR_CODES[error.code as ErrorCode];
  // a machine client knows when to ask again
  if ('retryAfter' in text) reply.header('retry-after', String(text.retryAfter));
  return reply.status(error.status).send({
    error: { code: error.code, message: text[lang(req)], details: error.details },
  });
}

/** Answers `err` in the one error shape, logging what the client did not cause. */
export function answerError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const error = classify(err);
  if (error.code === 'INTERNAL') req.log.error({ err }, 'request failed');
  // what a database or parser said about a refusal is for the log only, never the answer
  else if (error.cause)
    req.log.warn({ code: error.code, details: error.details, err: error.cause }, 'refused');
  else if (error.status >= 500)
    req.log.warn({ code: error.code, details: error.details }, 'request refused for now');
  return sendError(req, reply, error);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(answerError);
}
