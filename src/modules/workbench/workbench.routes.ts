import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { tasksFor } from './workbench.service.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody } from '../../server/platform/schemas.js';

const Task = Type.Object({
  kind: Type.String(),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  count: Type.Integer(),
  link: Type.String(),
});

export const workbenchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workbench/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['platform'],
        operationId: 'listMyTasks',
        summary: 'What waits for me: open tasks of every module for the caller',
        response: { 200: Type.Object({ items: Type.Array(Task) }), 401: ErrorBody },
      },
    },
    async (req) => ({ items: await app.read((tx) => tasksFor(tx, actorOf(req))) }),
  );
};
