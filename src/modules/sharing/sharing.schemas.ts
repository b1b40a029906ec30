import { Type, type Static } from 'typebox';
import { MASK_RULES } from './masking.js';

const Id = Type.String({ format: 'uuid' });
const Day = Type.String({ format: 'date' });
const FieldName = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
const RowFilter = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
  Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 1000 }),
  { description: 'rows allowed: field → list of values' },
);
const Masking = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
  Type.Enum([...MASK_RULES]),
);

export const RequestCreate = Type.Object(
  {
    resourceId: Id,
    fields: Type.Array(FieldName, {
      minItems: 1,
      maxItems: 500,
      uniqueItems: true,
      description: 'only the fields needed (minimum scope)',
    }),
    purpose: Type.String({ minLength: 2, maxLength: 1000 }),
    scenario: Type.String({ minLength: 2, maxLength: 1000 }),
    legalBasis: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'the legal duty the data serves; required for conditional shares',
      }),
    ),
    until: Day,
    delivery: Type.Enum(['api', 'export', 'push', 'verify']),
    rowFilter: Type.Optional(RowFilter),
    push: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ format: 'uri', maxLength: 500 }),
          schedule: Type.Enum(['hourly', 'daily']),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RequestCreate = Static<typeof RequestCreate>;

export const Decision = Type.Object(
  {
    decision: Type.Enum(['approve', 'refuse']),
    basis: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'the law or rule a refusal rests on (required to refuse)',
      }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    masking: Type.Optional(Masking),
    rowFilter: Type.Optional(RowFilter),
  },
  { additionalProperties: false },
);
export type Decision = Static<typeof Decision>;

export const Agreement = Type.Object(
  { accept: Type.Literal(true) },
  { additionalProperties: false },
);

export const RequestQuery = Type.Object(
  {
    role: Type.Optional(Type.Enum(['mine', 'to-review', 'all'])),
    status: Type.Optional(Type.Enum(['pending', 'approved', 'refused', 'withdrawn'])),
    overdue: Type.Optional(
      Type.Boolean({ description: 'only requests past a deadline (true) or not (false)' }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type RequestQuery = Static<typeof RequestQuery>;

export const ChannelQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['active', 'suspended', 'revoked', 'frozen', 'expired'])),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type ChannelQuery = Static<typeof ChannelQuery>;

export const ChannelAction = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })), until: Type.Optional(Day) },
  { additionalProperties: false },
);
export type ChannelAction = Static<typeof ChannelAction>;

export const Recipients = Type.Object(
  { orgIds: Type.Array(Id, { maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
);

export const Verify = Type.Object(
  {
    match: Type.Record(
      Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
      Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]),
      { minProperties: 1, maxProperties: 50 },
    ),
  },
  { additionalProperties: false },
);
export type Verify = Static<typeof Verify>;

const Step = Type.Object({
  position: Type.Integer(),
  reviewer: Type.String(),
  status: Type.String(),
  due: Type.Union([Day, Type.Null()]),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
  overdue: Type.Boolean(),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  basis: Type.Union([Type.String(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
});
export const ShareRequest = Type.Object({
  id: Id,
  resource: Type.Object({ id: Id, name: Type.String(), code: Type.String() }),
  provider: Type.Object({ id: Id, name: Type.String() }),
  requester: Type.Object({ orgId: Id, orgName: Type.String(), userName: Type.String() }),
  shareType: Type.String(),
  shareKind: Type.String(),
  fields: Type.Array(Type.String()),
  rowFilter: Type.Union([Type.Record(Type.String(), Type.Array(Type.String())), Type.Null()]),
  purpose: Type.String(),
  scenario: Type.String(),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  until: Day,
  delivery: Type.String(),
  status: Type.String(),
  answerDue: Type.Union([Day, Type.Null()]),
  deliverDue: Type.Union([Day, Type.Null()]),
  overdue: Type.Boolean(),
  agreementAccepted: Type.Boolean(),
  channelId: Type.Union([Id, Type.Null()]),
  createdAt: Type.String(),
  pendingReviewer: Type.Union([Type.String(), Type.Null()]),
  steps: Type.Optional(Type.Array(Step)),
});
export const Channel = Type.Object({
  id: Id,
  requestId: Id,
  resource: Type.Object({ id: Id, name: Type.String() }),
  provider: Type.Object({ id: Id, name: Type.String() }),
  consumer: Type.Object({ id: Id, name: Type.String() }),
  fields: Type.Array(Type.String()),
  rowFilter: Type.Union([Type.Record(Type.String(), Type.Array(Type.String())), Type.Null()]),
  masking: Type.Record(Type.String(), Type.String()),
  delivery: Type.String(),
  verifyOnly: Type.Boolean(),
  status: Type.String(),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  push: Type.Union([
    Type.Object({
      endpoint: Type.String(),
      schedule: Type.String(),
      cursor: Type.Integer(),
      nextAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  createdAt: Type.String(),
});
