import { Type, type Static } from 'typebox';

const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);
const Time = Type.String({ format: 'date-time' });

export const LoadQuery = Type.Object(
  {
    mode: Type.Optional(
      Type.Enum(['append', 'upsert', 'snapshot'], {
        default: 'append',
        description:
          'append rows; upsert by the identifier field; snapshot replaces all (absent rows are marked deleted)',
      }),
    ),
    strict: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'true: one row breaking a rule rejects the whole batch',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoadQuery = Static<typeof LoadQuery>;

export const LoadHeaders = Type.Object({
  'x-file-name': Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'URL-encoded name of the uploaded file, kept with the batch',
    }),
  ),
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'the same key loads once; a failed batch may be retried under it',
    }),
  ),
});

export const Batch = Type.Object({
  id: Id,
  resourceId: Id,
  mode: Type.String(),
  strict: Type.Boolean(),
  format: Type.String(),
  status: Type.Enum(['running', 'committed', 'rejected', 'failed']),
  idempotencyKey: Nullable(Type.String()),
  received: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  deleted: Type.Integer(),
  unchanged: Type.Integer(),
  bytes: Type.Integer(),
  error: Nullable(Type.Record(Type.String(), Type.Unknown())),
  fileName: Nullable(Type.String()),
  startedBy: Type.Object({ kind: Type.String(), id: Id, name: Type.String(), orgId: Id }),
  startedAt: Time,
  finishedAt: Nullable(Time),
  durationMs: Nullable(Type.Integer()),
});
export type Batch = Static<typeof Batch>;

export const LoadResult = Type.Object({
  batchId: Id,
  status: Type.String(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  replayed: Type.Boolean(),
  batch: Batch,
});

export const BatchPage = Type.Object({
  items: Type.Array(Batch),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export const PageQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

export const RejectedQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum(['json', 'csv'], { default: 'json' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type RejectedQuery = Static<typeof RejectedQuery>;
const RejectedRow = Type.Object({
  row: Type.Integer(),
  field: Type.String(),
  rule: Type.String(),
  value: Nullable(Type.String()),
});
export const RejectedPage = Type.Object({
  batchId: Id,
  total: Type.Integer(),
  items: Type.Array(RejectedRow),
});

export const ChangesQuery = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({
        minimum: 0,
        // a bigint cursor: wider than the integer bound every other integer gets by default
        maximum: Number.MAX_SAFE_INTEGER,
        default: 0,
        description: 'cursor of the last change already read',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
const Change = Type.Object({
  cursor: Type.Integer(),
  op: Type.Enum(['insert', 'update', 'delete']),
  rowId: Type.Integer(),
  batchId: Id,
  at: Time,
  row: Type.Record(Type.String(), Type.Unknown()),
});
export const ChangePage = Type.Object({ items: Type.Array(Change), nextCursor: Type.Integer() });

const PoolField = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: Type.String(),
  required: Type.Boolean(),
  sensitivity: Type.String(),
  validator: Nullable(Type.String()),
});
export const PoolInfo = Type.Object({
  resourceId: Id,
  code: Nullable(Type.String()),
  name: Type.String(),
  providerOrgId: Id,
  version: Type.Integer(),
  identifierField: Nullable(Type.String()),
  updateFrequency: Type.String(),
  fields: Type.Array(PoolField),
  rows: Type.Integer(),
  lastLoadedAt: Nullable(Time),
  publishedAt: Time,
  proposalsPending: Type.Integer({
    description: 'fields with detected personal data the provider has not decided on yet',
  }),
});
export const PoolInfoList = Type.Object({ items: Type.Array(PoolInfo) });

export const RowsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export const RowPage = Type.Object({
  items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});
