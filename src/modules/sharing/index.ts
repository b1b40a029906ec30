import type { FastifyPluginAsync } from 'fastify';
import { sharingRoutes as requests } from './sharing.routes.js';
import { channelRoutes } from './channel.routes.js';

export { sharingTasks } from './sharing.tasks.js';
export { runSharingTimers } from './sharing.timers.js';

/** Sharing (C7): requests, review on working-day deadlines, channels, masked and audited reads. */
export const sharingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(requests);
  await app.register(channelRoutes);
};
