import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getProfile } from './profiles.data.js';
import { ErrorBody } from '../../server/platform/schemas.js';

export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/profile',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['platform'],
        operationId: 'getRegulationProfile',
        summary:
          'The active regulation profile: share types, deadlines in working days, freeze period',
        response: { 200: Type.Record(Type.String(), Type.Unknown()), 401: ErrorBody },
      },
    },
    async () => getProfile(app.config.profile) as unknown as Record<string, unknown>,
  );
};
