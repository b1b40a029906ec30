import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Db } from '../db/pool.js';
import { siblingDb, withConnection } from '../db/pool.js';
import { Notices } from '../db/notices.js';
import { answerError, installErrorHandling, sendError } from './platform/errors.js';
import { installInputChecks } from './platform/input-checks.js';
import { installSecurityHeaders } from './platform/security-headers.js';
import { loggerOptions, traceHeaders } from './platform/logging.js';
import { requireAccessDeclarations, type RouteInfo } from './platform/access.js';
import { makeAudited } from './platform/context.js';
import { postgresRateLimitStore } from './platform/rate-limit-store.js';
import { installCallerRateLimit } from './platform/caller-rate-limit.js';
import { AppError } from '../lib/errors.js';
import { identityRoutes, identityTasks, installAuthentication } from '../modules/identity/index.js';
import { workbenchRoutes, registerTaskSource } from '../modules/workbench/index.js';
import { append as appendAudit, auditRoutes } from '../modules/audit/index.js';
import { calendarRoutes } from '../modules/calendar/index.js';
import { profileRoutes } from '../modules/profiles/index.js';
import {
  poolRoutes,
  poolOnPublish,
  qualityRoutes,
  qualityTasks,
  classificationRoutes,
} from '../modules/pool/index.js';
import { registerPublishHook } from '../modules/catalog/index.js';
import { classificationTasks } from '../modules/classification/index.js';
import { catalogRoutes } from '../modules/catalog/index.js';
import { registryRoutes, registryTasks } from '../modules/registry/index.js';
import { sharingRoutes, sharingTasks } from '../modules/sharing/index.js';
import { AuditBatcher } from '../modules/audit/index.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  /**
   * `false` for none; otherwise pino's level and destination (`stream`), with the platform's
   * serializers, redaction and escaping always applied.
   */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
}

export type App = FastifyInstance & { routeTable: RouteInfo[] };

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole HTTP application on a database; `listen` is the caller's business. */
export async function buildApp({ config, db, logger }: BuildOptions): Promise<App> {
  const app = Fastify({
    logger:
      logger === false ? false : { ...loggerOptions(logger?.level ?? config.logLevel), ...logger },
    trustProxy: config.trustProxy,
    bodyLimit: 10 * 1024 * 1024,
    // URLs the router cannot decode (bad percent-encoding, a lone surrogate's bytes) or whose
    // parameters are too long are answered in the one error shape too.
    frameworkErrors: (err, req, reply) => answerError(err, req, reply),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
        // Off, because on it lets Infinity through: ajv then skips a number's range check unless
        // the value is finite, but coerces a query's "1e309" to Infinity after the type check.
        // With it off the range check runs, and every number a request carries has a range (see
        // platform/input-checks.ts), so Infinity and NaN are refused either way.
        strictNumbers: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeTable: RouteInfo[] = [];
  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate(
    'audited',
    makeAudited(db, (tx, entries) => appendAudit(tx, config.crypto, entries)),
  );
  // Read entries are written on a pool of their own, so a flush never waits behind the reads it
  // releases.
  const auditDb = siblingDb(db, 2, 'gongshu ledger', {
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const auditReads = new AuditBatcher(auditDb, config.crypto);
  app.decorate('auditReads', auditReads);
  // Loads and exports last as long as the upload or the download: no statement limit there. They
  // have connections of their own, so a long one never holds up requests.
  const streams = siblingDb(db, config.databaseStreamPoolSize, 'gongshu streams', {
    statementTimeoutMs: 0,
  });
  app.decorate('streams', streams);
  // Reads have connections of their own that give up waiting for a lock after a while: a resource's
  // first load locks its table until it commits, and reads queued behind it must not hold every
  // connection the platform's other requests need.
  const reads = siblingDb(db, config.databasePoolSize, 'gongshu reads', {
    lockTimeoutMs: config.readLockTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const notices = await Notices.start(db.options.connectionString!);
  app.decorate('notices', notices);
  app.addHook('onClose', async () => {
    await notices.close();
    await reads.end();
    await auditReads.drain();
    await auditDb.end();
    await streams.end();
  });
  app.decorate('read', <T>(fn: Parameters<typeof withConnection<T>>[1]) =>
    withConnection(reads, fn),
  );
  app.decorate('readPool', reads);
  app.decorate('routeTable', routeTable);
  installSecurityHeaders(app);
  traceHeaders(app);
  installErrorHandling(app);
  // before any route is added, and before @fastify/swagger collects them
  installInputChecks(app);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    store: postgresRateLimitStore(db),
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gongshu (公数) API',
        version: '1',
        description:
          'Public-data management and sharing platform. Errors: `{ error: { code, message, details } }`.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Each body runs its own deployment: the API is on the host that serves the portal, and the
      // paths carry their /api/v1 prefix.
      servers: [{ url: '/', description: 'this deployment (the host serving the portal)' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gongshu_session' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'gsk_… API key of an organisation’s client',
          },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    // Routes anyone may call (config.access 'public') ask for no credentials.
    transform: ({ schema, url, route }) => ({
      schema: route.config?.access === 'public' ? { ...schema, security: [] } : schema,
      url,
    }),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  requireAccessDeclarations(app, routeTable);
  installAuthentication(app, db, config);
  installCallerRateLimit(app, db, config.requestRateLimit);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        operationId: 'getHealth',
        summary: 'Liveness and database reachability',
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    async () => {
      await db.query('SELECT 1');
      return { ok: true };
    },
  );

  registerTaskSource(identityTasks);
  registerTaskSource(sharingTasks);
  registerTaskSource(qualityTasks);
  registerTaskSource(classificationTasks);
  registerTaskSource(registryTasks);
  await app.register(identityRoutes, { prefix: '/api/v1' });
  await app.register(workbenchRoutes, { prefix: '/api/v1' });
  await app.register(auditRoutes, { prefix: '/api/v1' });
  await app.register(calendarRoutes, { prefix: '/api/v1' });
  await app.register(profileRoutes, { prefix: '/api/v1' });
  registerPublishHook(poolOnPublish);
  await app.register(poolRoutes, { prefix: '/api/v1' });
  await app.register(qualityRoutes, { prefix: '/api/v1' });
  await app.register(classificationRoutes, { prefix: '/api/v1' });
  await app.register(catalogRoutes, { prefix: '/api/v1' });
  await app.register(registryRoutes, { prefix: '/api/v1' });
  await app.register(sharingRoutes, { prefix: '/api/v1' });

  await registerPortal(app, config.webDir);
  return app as unknown as App;
}

/** Serves the built portal at `/`, with index.html for the browser's client-side routes. */
async function registerPortal(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  const hasPortal = fs.existsSync(index);
  if (hasPortal) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      serve: false,
    });
    app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (req, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(`assets/${(req.params as { '*': string })['*']}`),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    if (!hasPortal || req.method !== 'GET' || url.startsWith('/api/'))
      return sendError(req, reply, new AppError('NOT_FOUND'));
    const file = path.join(webDir, path.normalize(url));
    if (file.startsWith(webDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile())
      return reply.sendFile(path.relative(webDir, file));
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
