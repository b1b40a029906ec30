import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as S from './identity.schemas.js';
import * as svc from './identity.service.js';
import { presentClient, presentOrg, presentUser } from './identity.presenter.js';
import { forgetApiClient } from './auth.service.js';
import { actorOf } from '../../server/platform/context.js';
import { Refusals, ErrorBody } from '../../server/platform/schemas.js';

const tags = ['identity'];

export const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // revoked by another instance
  app.notices.on('gongshu_api_client', (id) => forgetApiClient(app.db, id));
  // organisations
  app.get(
    '/orgs',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listOrganisations',
        summary: 'All organisations (a flat list; parentId builds the tree)',
        response: { 200: Type.Object({ items: Type.Array(S.Organisation) }), 401: ErrorBody },
      },
    },
    async () => ({ items: (await app.read(svc.listOrgs)).map(presentOrg) }),
  );

  app.get(
    '/orgs/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getOrganisation',
        summary: 'One organisation',
        params: S.IdParams,
        response: { 200: S.Organisation, ...Refusals },
      },
    },
    async (req) => presentOrg(await app.read((tx) => svc.getOrg(tx, req.params.id))),
  );

  app.post(
    '/orgs',
    {
      config: { access: { permission: 'orgs.manage' } },
      schema: {
        tags,
        operationId: 'createOrganisation',
        summary: 'Create an organisation (code: 统一社会信用代码 with a valid check digit)',
        body: S.OrgCreate,
        response: { 201: S.Organisation, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const org = await app.audited(req, (tx) => svc.createOrg(tx, req.body), {
        action: 'org.create',
        targetType: 'organisation',
        details: (o) => ({ name: o.name, code: o.code }),
      });
      return reply.status(201).send(presentOrg(org));
    },
  );

  app.patch(
    '/orgs/:id',
    {
      config: { access: { permission: 'orgs.manage' } },
      schema: {
        tags,
        operationId: 'updateOrganisation',
        summary: 'Change an organisation',
        params: S.IdParams,
        body: S.OrgPatch,
        response: { 200: S.Organisation, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      presentOrg(
        await app.audited(req, (tx) => svc.updateOrg(tx, req.params.id, req.body), {
          action: 'org.update',
          targetType: 'organisation',
          details: () => ({ changed: Object.keys(req.body) }),
        }),
      ),
  );

  // users
  app.get(
    '/users',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags,
        operationId: 'listUsers',
        summary: 'Users the caller may manage (own organisation unless platform admin)',
        querystring: S.UserQuery,
        response: { 200: S.Page(S.User), ...Refusals },
      },
    },
    async (req) => {
      const { rows, total } = await app.read((tx) => svc.listUsers(tx, actorOf(req), req.query));
      return {
        items: rows.map(presentUser),
        total,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      };
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags,
        operationId: 'getUser',
        summary: 'One user',
        params: S.IdParams,
        response: { 200: S.User, ...Refusals },
      },
    },
    async (req) =>
      presentUser(await app.read((tx) => svc.getUser(tx, actorOf(req), req.params.id))),
  );

  app.post(
    '/users',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags,
        operationId: 'createUser',
        summary: 'Create a user with roles',
        body: S.UserCreate,
        response: { 201: S.User, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const user = await app.audited(req, (tx) => svc.createUser(tx, actorOf(req), req.body), {
        action: 'user.create',
        targetType: 'user',
        details: (u) => ({ username: u.username, roles: u.roles, orgId: u.org_id }),
      });
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags,
        operationId: 'updateUser',
        summary: 'Change a user: name, contact, roles, enabled',
        params: S.IdParams,
        body: S.UserPatch,
        response: { 200: S.User, ...Refusals },
      },
    },
    async (req) =>
      presentUser(
        await app.audited(req, (tx) => svc.updateUser(tx, actorOf(req), req.params.id, req.body), {
          action: 'user.update',
          targetType: 'user',
          details: () => ({ changed: req.body }),
        }),
      ),
  );

  app.post(
    '/users/:id/password',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags,
        operationId: 'resetUserPassword',
        summary:
          'Reset a password (generated and returned once when none is given); ends the user’s sessions and lock-out',
        params: S.IdParams,
        body: S.PasswordReset,
        response: {
          200: Type.Object({ id: S.Id, password: Type.Optional(Type.String()) }),
          ...Refusals,
        },
      },
    },
    async (req) =>
      app.audited(req, (tx) => svc.resetPassword(tx, actorOf(req), req.params.id, req.body), {
        action: 'user.password_reset',
        targetType: 'user',
      }),
  );

  // API clients
  app.get(
    '/clients',
    {
      config: { access: { permission: 'clients.manage' } },
      schema: {
        tags,
        operationId: 'listApiClients',
        summary: 'API clients the caller may manage',
        querystring: S.ClientQuery,
        response: { 200: S.Page(S.Client), ...Refusals },
      },
    },
    async (req) => {
      const { rows, total } = await app.read((tx) => svc.listClients(tx, actorOf(req), req.query));
      return {
        items: rows.map(presentClient),
        total,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      };
    },
  );

  app.post(
    '/orgs/:id/clients',
    {
      config: { access: { permission: 'clients.manage' } },
      schema: {
        tags,
        operationId: 'createApiClient',
        summary: 'Create an API client for an organisation; the key is in this response only',
        params: S.IdParams,
        body: S.ClientCreate,
        response: { 201: S.ClientCreated, ...Refusals },
      },
    },
    async (req, reply) => {
      const created = await app.audited(
        req,
        (tx) => svc.createClient(tx, actorOf(req), req.params.id, req.body),
        {
          action: 'client.create',
          targetType: 'api_client',
          details: (c) => ({ name: c.client.name, orgId: c.client.org_id, roles: c.client.roles }),
        },
      );
      return reply
        .status(201)
        .send({ id: created.id, key: created.key, client: presentClient(created.client) });
    },
  );

  app.delete(
    '/clients/:id',
    {
      config: { access: { permission: 'clients.manage' } },
      schema: {
        tags,
        operationId: 'revokeApiClient',
        summary: 'Revoke an API client; its key stops working at once',
        params: S.IdParams,
        response: { 200: S.Client, ...Refusals },
      },
    },
    async (req) => {
      const client = await app.audited(
        req,
        (tx) => svc.revokeClient(tx, actorOf(req), req.params.id),
        { action: 'client.revoke', targetType: 'api_client' },
      );
      forgetApiClient(app.db, client.id);
      return presentClient(client);
    },
  );
};
