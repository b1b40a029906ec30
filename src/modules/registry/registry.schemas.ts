import { Type, type Static } from 'typebox';

export const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const TableParams = Type.Object({ id: Id, tableId: Id }, { additionalProperties: false });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([Type.Null(), t]); // Null first: ajv coercion
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Stamp = Type.String({ format: 'date-time' });
const STAGES = ['planning', 'building', 'trial', 'online', 'retired'] as const;
const DATASET_KINDS = ['unstructured', 'purchased', 'exchanged', 'crawled'] as const;

export const SystemCreate = Type.Object(
  {
    name: Text(200),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    owner: Text(100),
    constructionStage: Type.Enum([...STAGES]),
    orgId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type SystemCreate = Static<typeof SystemCreate>;
export const SystemPatch = Type.Object(
  {
    name: Type.Optional(Text(200)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    owner: Type.Optional(Text(100)),
    constructionStage: Type.Optional(Type.Enum([...STAGES])),
    accepted: Type.Optional(
      Type.Boolean({
        description:
          'accepted (验收) only once every registered table is catalogued or exempted with a legal basis [000 §11]',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SystemPatch = Static<typeof SystemPatch>;
export const System = Type.Object({
  id: Id,
  orgId: Id,
  orgName: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  owner: Type.String(),
  constructionStage: Type.String(),
  accepted: Type.Boolean(),
  acceptedAt: Nullable(Stamp),
  tableCount: Type.Integer(),
  uncataloguedTables: Type.Integer(),
  createdAt: Stamp,
});
export const SystemQuery = Type.Object({ org: Type.Optional(Id) }, { additionalProperties: false });

export const Column = Type.Object(
  {
    name: Text(128),
    type: Text(100),
    length: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    nullable: Type.Optional(Type.Boolean()),
    primaryKey: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);
export type Column = Static<typeof Column>;
export const TableCreate = Type.Object(
  {
    databaseName: Type.Optional(Type.String({ maxLength: 128 })),
    name: Text(128),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    columns: Type.Array(Column, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type TableCreate = Static<typeof TableCreate>;
export const TablePatch = Type.Object(
  {
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    columns: Type.Optional(Type.Array(Column, { minItems: 1, maxItems: 1000 })),
    exemptionBasis: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 2000,
          description:
            'the law, regulation or policy that keeps this table out of the pool [000 §11]',
        }),
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TablePatch = Static<typeof TablePatch>;
export const Table = Type.Object({
  id: Id,
  systemId: Id,
  databaseName: Type.String(),
  name: Type.String(),
  comment: Nullable(Type.String()),
  columns: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String(),
      length: Nullable(Type.Integer()),
      nullable: Type.Boolean(),
      primaryKey: Type.Boolean(),
      comment: Nullable(Type.String()),
      detectedPii: Type.Optional(
        Nullable(
          Type.String({ description: 'personal data found in sampled values at registration' }),
        ),
      ),
    }),
  ),
  source: Type.String(),
  exemptionBasis: Nullable(Type.String()),
  catalogued: Type.Boolean(),
  updatedAt: Stamp,
});
export const Introspect = Type.Object(
  {
    connectionString: Type.String({
      minLength: 10,
      maxLength: 1000,
      pattern: '^(postgres|postgresql|mysql)://',
      description: 'postgresql://… or mysql://…; used once, never stored',
    }),
    schema: Type.Optional(
      Type.String({
        maxLength: 128,
        description:
          'PostgreSQL schema (default public) or MySQL database (default: the one in the URL)',
      }),
    ),
    tables: Type.Optional(Type.Array(Text(128), { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type Introspect = Static<typeof Introspect>;

export const DatasetCreate = Type.Object(
  {
    kind: Type.Enum([...DATASET_KINDS]),
    name: Text(200),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    systemId: Type.Optional(Nullable(Id)),
    format: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    volume: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    supplier: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    contractNo: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    validUntil: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    orgId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type DatasetCreate = Static<typeof DatasetCreate>;
export const Dataset = Type.Object({
  id: Id,
  orgId: Id,
  orgName: Type.String(),
  systemId: Nullable(Id),
  kind: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  format: Nullable(Type.String()),
  volume: Nullable(Type.String()),
  supplier: Nullable(Type.String()),
  contractNo: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
  createdAt: Stamp,
});
export const DatasetQuery = Type.Object(
  { org: Type.Optional(Id), kind: Type.Optional(Type.Enum([...DATASET_KINDS])) },
  { additionalProperties: false },
);

export const FunctionItemCreate = Type.Object(
  {
    duty: Text(200),
    dutyBasis: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    dataName: Text(200),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    resourceId: Type.Optional(Nullable(Id)),
    orgId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type FunctionItemCreate = Static<typeof FunctionItemCreate>;
export const FunctionItemPatch = Type.Object(
  {
    duty: Type.Optional(Text(200)),
    dutyBasis: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    dataName: Type.Optional(Text(200)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    resourceId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FunctionItemPatch = Static<typeof FunctionItemPatch>;
export const FunctionItem = Type.Object({
  id: Id,
  orgId: Id,
  duty: Type.String(),
  dutyBasis: Nullable(Type.String()),
  dataName: Type.String(),
  description: Nullable(Type.String()),
  resourceId: Nullable(Id),
  resourceName: Nullable(Type.String()),
  createdAt: Stamp,
});
export const FunctionReview = Type.Object(
  {
    status: Type.Enum(['submitted', 'approved', 'returned']),
    submittedAt: Stamp,
    submittedBy: Nullable(Type.String()),
    decidedAt: Nullable(Stamp),
    decidedBy: Nullable(Type.String()),
    comment: Nullable(Type.String()),
  },
  {
    description:
      '审定 of the list by the data authority [003 §10]; null when the list was not submitted since it last changed',
  },
);
export const FunctionList = Type.Object({
  items: Type.Array(FunctionItem),
  review: Nullable(FunctionReview),
});
export const FunctionSubmit = Type.Object(
  { orgId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const FunctionDecision = Type.Object(
  {
    orgId: Id,
    decision: Type.Enum(['approve', 'return']),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const SubmittedList = Type.Object({
  orgId: Id,
  orgName: Type.String(),
  items: Type.Integer(),
  submittedAt: Stamp,
  submittedBy: Nullable(Type.String()),
});
export const OrgQuery = Type.Object({ org: Type.Optional(Id) }, { additionalProperties: false });

export const FromTable = Type.Object(
  {
    tableId: Id,
    name: Type.Optional(Text(200)),
    summary: Type.Optional(Text(2000)),
    categoryCode: Type.Optional(Type.String({ pattern: '^([0-9]{2})+$' })),
    shareType: Type.Optional(Type.String({ maxLength: 50 })),
    shareConditions: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    legalBasis: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    updateFrequency: Type.Optional(
      Type.Enum(['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']),
    ),
  },
  { additionalProperties: false },
);
export type FromTable = Static<typeof FromTable>;
