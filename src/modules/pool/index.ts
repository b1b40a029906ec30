import type { FastifyPluginAsync } from 'fastify';
import { poolRoutes as routes } from './pool.routes.js';

export { ensurePoolTable, poolOnPublish } from './pool.ddl.js';
export { loadBatch, recoverInterruptedBatches } from './pool.load.js';
export { findPoolEntry } from './pool.repository.js';
/** Identifier quoting and table names of pool tables, for modules that read them (sharing). */
export { changeTable, col, ident, poolTable, SQL_TYPES } from './pool.sql.js';
export type { PoolResource, PoolEntry, PoolField } from './pool.types.js';

/** Collection into the pool: batches, rejected rows, change history. */
export const poolRoutes: FastifyPluginAsync = routes;
/**
 * The quality and the personal data found in a pooled resource, for those who may inspect it or
 * load into it. They live here, not in the quality and classification modules, because the pool
 * uses those modules as it loads and so they cannot look entries up in the pool.
 */
export { qualityRoutes } from './quality.routes.js';
export { qualityTasks } from './quality.tasks.js';
export { classificationRoutes } from './classification.routes.js';
