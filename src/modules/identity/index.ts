import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth.routes.js';
import { identityRoutes as crudRoutes } from './identity.routes.js';

export { hashPassword } from './auth.service.js';
export { installAuthentication } from './auth.hook.js';
export { bootstrapAdmin } from './identity.service.js';
export * as identityRepository from './identity.repository.js';
export type { Actor, Role, OrgType } from './identity.types.js';
export { ROLES } from './identity.types.js';
export { identityTasks } from './identity.tasks.js';

/** Sign-in, organisations, users and API clients. */
export const identityRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(crudRoutes);
};
