import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decideProposal, listProposals } from '../classification/index.js';
import { entryFor } from './pool.service.js';
import { mayLoad } from './pool.policy.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, Refusals } from '../../server/platform/schemas.js';
import { AppError } from '../../lib/errors.js';
import { classifyField } from '../catalog/index.js';
import { getProfile } from '../profiles/index.js';

const tags = ['classification'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Sensitivity = Type.Enum(['public', 'internal', 'sensitive', 'personal']);
const Masking = Type.Enum(['none', 'partial', 'hash', 'generalise', 'truncate']);
const Proposal = Type.Object({
  field: Type.String(),
  detectedKind: Type.String(),
  share: Type.Number(),
  sampled: Type.Integer(),
  proposed: Type.Object({ sensitivity: Type.String(), masking: Type.String() }),
  status: Type.Enum(['proposed', 'accepted', 'changed']),
  source: Type.Enum(['batch', 'registration'], {
    description: 'sampled from the live table at registration, or from the first batch loaded',
  }),
  decided: Nullable(
    Type.Object({
      sensitivity: Type.String(),
      masking: Type.String(),
      by: Nullable(Type.String()),
      at: Nullable(Type.String()),
    }),
  ),
});
const Decided = Type.Intersect([
  Proposal,
  Type.Object({
    catalog: Nullable(
      Type.Object(
        { version: Type.Integer(), status: Type.String() },
        {
          description:
            'the catalog entry after the decision was written into it: a new draft version to submit for review, or the version that already said so; null when the entry is under review or retired and cannot take an edit now',
        },
      ),
    ),
  }),
]);
const Params = Type.Object({
  id: Type.String({ format: 'uuid' }),
  field: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
});
const Decision = Type.Union([
  Type.Object({ accept: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ sensitivity: Sensitivity, masking: Masking }, { additionalProperties: false }),
]);

export const classificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const profile = getProfile(app.config.profile);
  app.get(
    '/resources/:id/classification',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listClassificationProposals',
        summary:
          'Personal data detected in sampled values: proposed sensitivity and masking per field',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ items: Type.Array(Proposal) }), ...Refusals },
      },
    },
    async (req) => ({
      items: await app.read(async (tx) =>
        listProposals(tx, (await entryFor(tx, actorOf(req), req.params.id)).resourceId),
      ),
    }),
  );

  app.post(
    '/resources/:id/classification/:field',
    {
      config: { access: { permission: 'pool.load' } },
      schema: {
        tags,
        operationId: 'decideFieldClassification',
        summary:
          'The provider accepts a proposal ({accept: true}) or sets its own sensitivity and masking',
        params: Params,
        body: Decision,
        response: { 200: Decided, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      app.audited(
        req,
        async (tx) => {
          const actor = actorOf(req);
          const entry = await entryFor(tx, actor, req.params.id);
          if (!mayLoad(actor, entry)) throw new AppError('NOT_FOUND');
          const decided = await decideProposal(
            tx,
            entry.resourceId,
            req.params.field,
            req.body,
            actor.id,
          );
          // The catalog entry is where a field's sensitivity and masking live: requests, reviews
          // and channels read them there.
          const { sensitivity, masking } = decided.decided!;
          const catalog = await classifyField(
            tx,
            actor,
            entry.resourceId,
            decided.field,
            { sensitivity, masking, piiKind: decided.detectedKind },
            profile,
          );
          return { ...decided, catalog };
        },
        {
          action: 'classification.decide',
          targetType: 'resource',
          targetId: req.params.id,
          details: (p) => ({
            field: p.field,
            status: p.status,
            decided: p.decided,
            catalog: p.catalog,
          }),
        },
      ),
  );
};
