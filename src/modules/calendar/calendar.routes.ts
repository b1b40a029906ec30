import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as repo from './calendar.repository.js';
import { loadCalendar } from './calendar.service.js';
import { notFound } from '../../lib/errors.js';
import { actorOf } from '../../server/platform/context.js';
import { Refusals, ErrorBody } from '../../server/platform/schemas.js';

const tags = ['calendar'];
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Kind = Type.Enum(['workday', 'holiday']);
const Override = Type.Object({
  day: Day,
  kind: Kind,
  note: Type.Union([Type.String(), Type.Null()]),
});

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/calendar/overrides',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listCalendarOverrides',
        summary: 'Holiday overrides on top of the statutory calendar',
        response: { 200: Type.Object({ items: Type.Array(Override) }), 401: ErrorBody },
      },
    },
    async () => ({
      items: (await app.read(repo.listOverrides)).map(({ day, kind, note }) => ({
        day,
        kind,
        note: note ?? null,
      })),
    }),
  );

  app.put(
    '/calendar/overrides/:day',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags,
        operationId: 'setCalendarOverride',
        summary: 'Declare a day a working day or a holiday, whatever the statutory calendar says',
        params: Type.Object({ day: Day }, { additionalProperties: false }),
        body: Type.Object(
          { kind: Kind, note: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: Override, ...Refusals },
      },
    },
    async (req) => {
      const o = await app.audited(
        req,
        (tx) =>
          repo.upsertOverride(
            tx,
            { day: req.params.day, kind: req.body.kind, note: req.body.note },
            actorOf(req).kind === 'user' ? actorOf(req).id : null,
          ),
        {
          action: 'calendar.override',
          targetType: 'calendar_day',
          targetId: req.params.day,
          details: () => req.body,
        },
      );
      return { day: o.day, kind: o.kind, note: o.note ?? null };
    },
  );

  app.delete(
    '/calendar/overrides/:day',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags,
        operationId: 'deleteCalendarOverride',
        summary: 'Remove an override',
        params: Type.Object({ day: Day }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...Refusals },
      },
    },
    async (req, reply) => {
      await app.audited(
        req,
        async (tx) => {
          if (!(await repo.deleteOverride(tx, req.params.day))) throw notFound();
          return null;
        },
        {
          action: 'calendar.override_remove',
          targetType: 'calendar_day',
          targetId: req.params.day,
        },
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/calendar/deadline',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getWorkingDayDeadline',
        summary: 'The day `days` working days after `from`, and whether each day in between works',
        querystring: Type.Object(
          { from: Day, days: Type.Integer({ minimum: 0, maximum: 366 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ from: Day, days: Type.Integer(), deadline: Day }),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const cal = await app.read(loadCalendar);
      return {
        from: req.query.from,
        days: req.query.days,
        deadline: cal.addWorkingDays(req.query.from, req.query.days),
      };
    },
  );
};
