import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import type { Actor, Role } from './actor.js';

/**
 * Every route declares who may call it in `config.access`:
 * `'public'`, `'authenticated'`, or `{ permission }` naming a permission of PERMISSIONS.
 * A route without a declaration stops the server from starting.
 */
export type Access = 'public' | 'authenticated' | { permission: Permission };

/** Named permissions and the roles that hold them; the single table of who may do what. */
export const PERMISSIONS = {
  'orgs.manage': ['platform_admin'],
  'users.manage': ['platform_admin', 'officer', 'cdo'],
  'clients.manage': ['platform_admin', 'officer', 'cdo'],
  'audit.read': ['platform_admin', 'auditor'],
  'calendar.manage': ['platform_admin'],
  'pool.load': ['platform_admin', 'officer', 'cdo'],
  'pool.inspect': ['platform_admin', 'officer', 'cdo', 'auditor', 'reviewer'],
  'quality.overview': ['platform_admin', 'reviewer', 'auditor'],
  'catalog.write': ['platform_admin', 'officer', 'cdo'],
  'catalog.review': ['reviewer', 'platform_admin'],
  'catalog.publish': ['platform_admin'],
  'registry.write': ['platform_admin', 'officer', 'cdo'],
  'share.request': ['consumer', 'officer', 'cdo'],
  'share.review': ['platform_admin', 'reviewer', 'officer', 'cdo'],
  'share.read': ['consumer', 'officer', 'cdo'],
  'share.view': ['platform_admin', 'reviewer', 'auditor', 'consumer', 'officer', 'cdo'],
  'share.manage': ['platform_admin', 'reviewer', 'officer', 'cdo'],
  'share.oversight': ['platform_admin', 'reviewer', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(actor: Actor, permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return actor.roles.some((r) => allowed.includes(r));
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Routes added by third-party plugins that serve documentation; public by nature. */
const PUBLIC_PLUGIN_PREFIXES = ['/api/docs'];

/** Installs the deny-by-default rule: undeclared routes refuse to register. */
export function requireAccessDeclarations(app: FastifyInstance, routes: RouteInfo[]): void {
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: Access };
    if (!config.access && PUBLIC_PLUGIN_PREFIXES.some((p) => route.url.startsWith(p))) {
      route.config = { ...config, access: 'public' };
    } else if (!config.access) {
      throw new Error(
        `route ${route.method} ${route.url} declares no access policy (config.access)`,
      );
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        access: (route.config as { access: Access }).access,
        params: route.schema?.params,
        querystring: route.schema?.querystring,
        headers: route.schema?.headers,
        body: route.schema?.body,
        response: route.schema?.response,
      });
    }
  });
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
  /** The path parameters', query string's and headers' schemas, when the route declares them. */
  params?: unknown;
  querystring?: unknown;
  headers?: unknown;
  /** The body schema, when the route takes one. */
  body?: unknown;
  /** Response schemas by status. */
  response?: unknown;
}

/**
 * Checks the route's declared access (`req.routeOptions.config.access`, which the caller has read)
 * against the actor.
 */
export function authorise(req: FastifyRequest, access: Access | undefined): void {
  if (!access || access === 'public') return;
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  if (access !== 'authenticated' && !hasPermission(req.actor, access.permission)) {
    throw new AppError('FORBIDDEN', { permission: access.permission });
  }
}
