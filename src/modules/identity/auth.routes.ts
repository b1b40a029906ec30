import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Login, Me, PasswordChange, User } from './identity.schemas.js';
import { changeOwnPassword, login, logout } from './auth.service.js';
import { presentUser } from './identity.presenter.js';
import { actorOf } from '../../server/platform/context.js';
import { PERMISSIONS, hasPermission, type Permission } from '../../server/platform/access.js';
import { SESSION_COOKIE } from './auth.hook.js';
import { ErrorBody } from '../../server/platform/schemas.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db } = app;
  const setSessionCookie = (reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      expires,
    });
  const ctx = (req: { id: string; ip: string; headers: Record<string, unknown> }) => ({
    requestId: req.id,
    clientIp: req.ip,
    userAgent: (req.headers['user-agent'] as string | undefined) ?? null,
  });

  app.post(
    '/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: 60_000,
          keyGenerator: (req) => `login:${req.ip}`,
        },
      },
      schema: {
        tags: ['identity'],
        operationId: 'signIn',
        summary: 'Sign in with username and password; sets an HttpOnly session cookie',
        body: Login,
        response: {
          200: Type.Object({ user: User }),
          401: ErrorBody,
          423: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const { user, token, expiresAt } = await login(
        db,
        config.crypto,
        config.sessionMaxHours,
        req.body.username,
        req.body.password,
        ctx(req),
      );
      setSessionCookie(reply, token, expiresAt);
      return { user: presentUser(user) };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identity'],
        operationId: 'signOut',
        summary: 'End the current session',
        response: { 204: Type.Null(), 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(db, config.crypto, actorOf(req), token, ctx(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identity'],
        operationId: 'changeOwnPassword',
        summary:
          'Change your own password (the current one proves it is you); ends your other sessions and renews this one',
        body: PasswordChange,
        response: {
          204: Type.Null(),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          423: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const { token, expiresAt } = await changeOwnPassword(
        db,
        config.crypto,
        config.sessionMaxHours,
        actorOf(req),
        req.body,
        ctx(req),
      );
      setSessionCookie(reply, token, expiresAt);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identity'],
        operationId: 'getCurrentIdentity',
        summary: 'Who am I: user, organisation, roles and permissions',
        response: { 200: Me, 401: ErrorBody },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return {
        user: {
          id: actor.id,
          username: actor.name,
          displayName: actor.displayName,
          roles: actor.roles,
          kind: actor.kind,
        },
        organisation: { id: actor.orgId, name: actor.orgName },
        permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) =>
          hasPermission(actor, p),
        ),
        deployment: { name: config.deploymentName, profile: config.profile },
      };
    },
  );
};
