import type { FastifyPluginAsync } from 'fastify';
import { sharingRoutes as requests } from './sharing.routes.js';
import { channelRoutes } from './channel.routes.js';

export { sharingTasks } from './sharing.tasks.js';
export { runSharingTimers } from './sharing.timers.js';
export {
  acceptAgreement,
  chinaToday,
  createRequest,
  decide,
  type SharingContext,
} from './sharing.service.js';
export * as sharingRepository from './sharing.repository.js';
export { recordOutOfScope } from './channel.reads.js';

/** Sharing (C7): requests, review on working-day deadlines, channels, masked and audited reads. */
export const sharingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(requests);
  await app.register(channelRoutes);
};
