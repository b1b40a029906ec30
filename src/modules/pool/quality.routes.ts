import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as S from './quality.schemas.js';
import { overdueResources, resourceQuality } from '../quality/index.js';
import { entryFor } from './pool.service.js';
import { inspectionScope } from './pool.policy.js';
import { actorOf } from '../../server/platform/context.js';
import { Refusals } from '../../server/platform/schemas.js';

const tags = ['quality'];

export const qualityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/resources/:id/quality',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'getResourceQuality',
        summary:
          'Quality of a resource: scores per batch over time, the latest rule results, timeliness now',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: S.ResourceQuality, ...Refusals },
      },
    },
    async (req) =>
      app.read(async (tx) => resourceQuality(tx, await entryFor(tx, actorOf(req), req.params.id))),
  );

  app.get(
    '/quality/overdue',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listOverdueResources',
        summary:
          'Resources whose data is older than their declared update frequency: all for overseers, the own body’s for officers',
        response: { 200: S.OverdueList, ...Refusals },
      },
    },
    async (req) => ({
      items: await app.read((tx) => overdueResources(tx, inspectionScope(actorOf(req)))),
    }),
  );
};
