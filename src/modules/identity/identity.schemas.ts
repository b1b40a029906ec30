import { Type, type Static } from 'typebox';
import { ORG_TYPES, ROLES } from './identity.types.js';

export const Id = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;
const RoleSchema = Type.Enum([...ROLES]);
const OrgTypeSchema = Type.Enum([...ORG_TYPES]);
const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};
export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

const Name = Type.String({ minLength: 1, maxLength: 200 });
/** 统一社会信用代码: the shape here, the check digit in the service. */
const Uscc = Type.String({
  pattern: '^[0-9A-HJ-NP-RTUWXY]{2}\\d{6}[0-9A-HJ-NP-RTUWXY]{10}$',
  description: '统一社会信用代码 (GB 32100)',
});
const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{1,62}$',
  description: 'lower-case letters, digits, . _ -',
});
const Password = Type.String({
  minLength: 8,
  maxLength: 128,
  description: 'at least 8 characters with letters and digits',
});

export const Login = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type Login = Static<typeof Login>;

export const Organisation = Type.Object({
  id: Id,
  name: Type.String(),
  code: Type.String(),
  type: OrgTypeSchema,
  parentId: Type.Union([Id, Type.Null()]),
  level: Type.Union([Type.String(), Type.Null()]),
  shortCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const OrgCreate = Type.Object(
  {
    name: Name,
    code: Uscc,
    type: OrgTypeSchema,
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    level: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
    shortCode: Type.Optional(
      Type.Union([Type.String({ pattern: '^[a-z][a-z0-9]{1,15}$' }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
export type OrgCreate = Static<typeof OrgCreate>;
export const OrgPatch = Type.Partial(OrgCreate, { additionalProperties: false, minProperties: 1 });
export type OrgPatch = Static<typeof OrgPatch>;

export const User = Type.Object({
  id: Id,
  orgId: Id,
  orgName: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(RoleSchema),
  enabled: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const UserCreate = Type.Object(
  {
    orgId: Id,
    username: Username,
    displayName: Name,
    password: Password,
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]),
    ),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+ -]{5,20}$' }), Type.Null()])),
    roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;
export const UserPatch = Type.Object(
  {
    displayName: Type.Optional(Name),
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]),
    ),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+ -]{5,20}$' }), Type.Null()])),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatch = Static<typeof UserPatch>;
export const PasswordReset = Type.Object(
  { password: Type.Optional(Password) },
  { additionalProperties: false },
);
export type PasswordReset = Static<typeof PasswordReset>;
export const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { additionalProperties: false },
);
export const UserQuery = Type.Object(
  {
    org: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(RoleSchema),
    ...Paging,
  },
  { additionalProperties: false },
);
export type UserQuery = Static<typeof UserQuery>;

export const Me = Type.Object({
  user: Type.Object({
    id: Id,
    username: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(RoleSchema),
    kind: Type.Union([Type.Literal('user'), Type.Literal('client')]),
  }),
  organisation: Type.Object({ id: Id, name: Type.String() }),
  permissions: Type.Array(Type.String()),
  deployment: Type.Object({ name: Type.String(), profile: Type.String() }),
});

export const Client = Type.Object({
  id: Id,
  orgId: Id,
  orgName: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  keyPrefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
});
export const ClientCreate = Type.Object(
  {
    name: Name,
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
    expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ClientCreate = Static<typeof ClientCreate>;
export const ClientCreated = Type.Object({
  id: Id,
  key: Type.String({ description: 'shown once; store it now' }),
  client: Client,
});
export const ClientQuery = Type.Object(
  { org: Type.Optional(Id), ...Paging },
  { additionalProperties: false },
);
export type ClientQuery = Static<typeof ClientQuery>;
