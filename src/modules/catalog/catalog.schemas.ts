import { Type, type Static } from 'typebox';
import {
  FIELD_TYPES,
  IDENTIFIER_KINDS,
  MASKINGS,
  OPEN_TYPES,
  PII_KINDS,
  SECURITY_LEVELS,
  SENSITIVITIES,
  STATUSES,
  UPDATE_FREQUENCIES,
  VALIDATORS,
} from './catalog.types.js';

const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([Type.Null(), t]); // Null first: ajv's type coercion would turn null into 0 or ''
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const FieldSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,62}$',
      description: 'machine name: lower-case letters, digits, _',
    }),
    label: Text(100),
    type: Type.Enum([...FIELD_TYPES]),
    length: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100000 }))),
    required: Type.Boolean(),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    sensitivity: Type.Enum([...SENSITIVITIES]),
    piiKind: Type.Optional(Nullable(Type.Enum([...PII_KINDS]))),
    masking: Type.Optional(Nullable(Type.Enum([...MASKINGS]))),
    pattern: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    enumValues: Type.Optional(
      Nullable(Type.Array(Text(200), { maxItems: 500, uniqueItems: true })),
    ),
    min: Type.Optional(Nullable(Type.Number())),
    max: Type.Optional(Nullable(Type.Number())),
    validator: Type.Optional(Nullable(Type.Enum([...VALIDATORS]))),
  },
  { additionalProperties: false },
);

const content = {
  name: Text(200),
  summary: Text(2000),
  categoryCode: Type.String({ pattern: '^([0-9]{2})+$' }),
  sourceSystemId: Type.Optional(Nullable(Id)),
  sourceTableIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
  identifierKind: Type.Enum([...IDENTIFIER_KINDS]),
  identifierField: Type.Optional(Nullable(Type.String({ maxLength: 63 }))),
  shareType: Type.String({
    minLength: 1,
    maxLength: 50,
    description: 'a share type code of the active profile (GET /api/v1/profile)',
  }),
  shareConditions: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  legalBasis: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  openType: Type.Enum([...OPEN_TYPES]),
  securityLevel: Type.Enum([...SECURITY_LEVELS]),
  updateFrequency: Type.Enum([...UPDATE_FREQUENCIES]),
  keywords: Type.Optional(Type.Array(Text(50), { maxItems: 30, uniqueItems: true })),
  fields: Type.Array(FieldSchema, { minItems: 1, maxItems: 500 }),
};

export const ResourceCreate = Type.Object(
  {
    ...content,
    providerOrgId: Type.Optional(Id),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ResourceCreate = Static<typeof ResourceCreate>;

export const ResourcePatch = Type.Object(
  {
    name: Type.Optional(content.name),
    summary: Type.Optional(content.summary),
    categoryCode: Type.Optional(content.categoryCode),
    sourceSystemId: content.sourceSystemId,
    sourceTableIds: content.sourceTableIds,
    identifierKind: Type.Optional(content.identifierKind),
    identifierField: content.identifierField,
    shareType: Type.Optional(content.shareType),
    shareConditions: content.shareConditions,
    legalBasis: content.legalBasis,
    openType: Type.Optional(content.openType),
    securityLevel: Type.Optional(content.securityLevel),
    updateFrequency: Type.Optional(content.updateFrequency),
    keywords: content.keywords,
    fields: Type.Optional(content.fields),
    comment: Type.Optional(
      Type.String({ maxLength: 1000, description: 'what changed, kept with the version' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ResourcePatch = Static<typeof ResourcePatch>;

export const Transition = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type Transition = Static<typeof Transition>;

export const ResourceQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.Enum([...STATUSES])),
    provider: Type.Optional(Id),
    shareType: Type.Optional(Type.String({ maxLength: 50 })),
    openType: Type.Optional(Type.Enum([...OPEN_TYPES])),
    category: Type.Optional(Type.String({ pattern: '^([0-9]{2})+$' })),
    level: Type.Optional(Type.Enum([...SECURITY_LEVELS])),
    mine: Type.Optional(
      Type.Boolean({ description: 'only entries of the caller’s own organisation' }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type ResourceQuery = Static<typeof ResourceQuery>;

const Stamp = Type.String({ format: 'date-time' });
const ResourceSummary = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  summary: Type.String(),
  status: Type.Enum([...STATUSES]),
  providerOrgId: Id,
  providerName: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  shareType: Type.String(),
  openType: Type.String(),
  securityLevel: Type.String(),
  updateFrequency: Type.String(),
  keywords: Type.Array(Type.String()),
  fieldCount: Type.Integer(),
  version: Type.Integer(),
  publishedVersion: Nullable(Type.Integer()),
  updatedAt: Stamp,
  rank: Type.Optional(Type.Number()),
});

export const Resource = Type.Object({
  id: Id,
  code: Type.String(),
  status: Type.Enum([...STATUSES]),
  providerOrgId: Id,
  providerName: Type.String(),
  providerCode: Type.String(),
  version: Type.Integer(),
  publishedVersion: Nullable(Type.Integer()),
  name: Type.String(),
  summary: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  sourceSystemId: Nullable(Id),
  sourceSystemName: Nullable(Type.String()),
  sourceTableIds: Type.Array(Id),
  identifierKind: Type.String(),
  identifierField: Nullable(Type.String()),
  shareType: Type.String(),
  shareTypeName: Type.String(),
  shareConditions: Nullable(Type.String()),
  legalBasis: Nullable(Type.String()),
  openType: Type.String(),
  securityLevel: Type.String(),
  updateFrequency: Type.String(),
  keywords: Type.Array(Type.String()),
  fields: Type.Array(FieldSchema),
  createdAt: Stamp,
  updatedAt: Stamp,
  publishedAt: Nullable(Stamp),
  /** What the caller may do next with this entry. */
  actions: Type.Array(Type.String()),
  history: Type.Array(
    Type.Object({
      action: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Type.String(),
      version: Type.Integer(),
      comment: Nullable(Type.String()),
      actorName: Nullable(Type.String()),
      actorOrg: Nullable(Type.String()),
      at: Stamp,
    }),
  ),
});

const FacetList = Type.Array(
  Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }),
);
export const ResourcePage = Type.Object({
  items: Type.Array(ResourceSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  facets: Type.Object({
    provider: FacetList,
    category: FacetList,
    shareType: FacetList,
    openType: FacetList,
    level: FacetList,
    status: FacetList,
  }),
});

export const VersionList = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      comment: Nullable(Type.String()),
      authorName: Nullable(Type.String()),
      createdAt: Stamp,
      published: Type.Boolean(),
      current: Type.Boolean(),
    }),
  ),
});

export const DiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
const Change = Type.Object({ attribute: Type.String(), from: Type.Unknown(), to: Type.Unknown() });
export const Diff = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  attributes: Type.Array(Change),
  fields: Type.Object({
    added: Type.Array(FieldSchema),
    removed: Type.Array(FieldSchema),
    changed: Type.Array(
      Type.Object({ name: Type.String(), label: Type.String(), changes: Type.Array(Change) }),
    ),
  }),
  left: Type.Unknown(),
  right: Type.Unknown(),
});

export const DedupeQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    fields: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'field names or Chinese labels, comma-separated',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DedupeQuery = Static<typeof DedupeQuery>;
export const DedupeResult = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Id,
      code: Type.String(),
      name: Type.String(),
      providerName: Type.String(),
      status: Type.String(),
      score: Type.Number(),
      nameScore: Type.Number(),
      matchedFields: Type.Array(Type.String()),
    }),
  ),
});

const Category = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  parentCode: Nullable(Type.String()),
});
export const CategoryTree = Type.Object({
  items: Type.Array(Type.Intersect([Category, Type.Object({ children: Type.Array(Category) })])),
});

export const ImportReport = Type.Object({
  committed: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer(),
      code: Nullable(Type.String()),
      name: Nullable(Type.String()),
      outcome: Type.Enum(['created', 'updated', 'unchanged', 'rejected']),
      reasons: Type.Array(
        Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() }),
      ),
    }),
  ),
});
export const ImportQuery = Type.Object(
  {
    atomic: Type.Optional(
      Type.Boolean({
        description:
          'write nothing when any row is bad (default: bad entries are left out, good ones saved)',
      }),
    ),
  },
  { additionalProperties: false },
);
