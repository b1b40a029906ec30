import type { FastifyPluginAsync } from 'fastify';
import { catalogRoutes as routes } from './catalog.routes.js';

export type { CatalogField, PoolResource } from './catalog.types.js';
export { registerPublishHook } from './catalog.hooks.js';
export { getPoolResource, classifyField, createResource } from './catalog.service.js';
export { seesWorkingCopy } from './catalog.policy.js';

/** The resource catalog: entries, versions, lifecycle, search, dedupe, spreadsheets. */
export const catalogRoutes: FastifyPluginAsync = async (app) => {
  await app.register(routes);
};
export { transition as transitionResource } from './catalog.service.js';
