import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorFromApiKey, actorFromSession } from './auth.service.js';
import { sendError } from '../../server/platform/errors.js';
import { authorise } from '../../server/platform/access.js';
import type { AppError } from '../../lib/errors.js';
import type { Config } from '../../server/platform/config.js';
import type { Db } from '../../db/pool.js';

export const SESSION_COOKIE = 'gongshu_session';

async function resolveActor(db: Db, config: Config, req: FastifyRequest) {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return actorFromApiKey(db, auth.slice(7).trim());
  const token = req.cookies[SESSION_COOKIE];
  if (token && token.length <= 100) return actorFromSession(db, token, config.sessionIdleMinutes);
  return null;
}

/**
 * Decides who is calling before anything else runs (so a 401 comes before any 400), then
 * checks the route's declared access.
 */
export function installAuthentication(app: FastifyInstance, db: Db, config: Config): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access) return; // unmatched URL: the not-found handler answers
    req.actor = await resolveActor(db, config, req);
    try {
      authorise(req, access);
    } catch (err) {
      return sendError(req, reply, err as AppError);
    }
  });
}
