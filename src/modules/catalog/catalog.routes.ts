import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as S from './catalog.schemas.js';
import * as svc from './catalog.service.js';
import {
  presentCategoryTree,
  presentFacets,
  presentResource,
  presentSummary,
  presentVersion,
} from './catalog.presenter.js';
import { TRANSITIONS } from './catalog.policy.js';
import { actorOf } from '../../server/platform/context.js';
import type { Permission } from '../../server/platform/access.js';
import { ErrorBody, Refusals } from '../../server/platform/schemas.js';
import { getProfile } from '../profiles/index.js';
import { catalogXlsxRoutes } from './catalog.xlsx.routes.js';

const tags = ['catalog'];
const TRANSITION_PERMISSION: Record<keyof typeof TRANSITIONS, Permission> = {
  submit: 'catalog.write',
  approve: 'catalog.review',
  reject: 'catalog.review',
  publish: 'catalog.publish',
  retire: 'catalog.publish',
};
const TRANSITION_SUMMARY: Record<keyof typeof TRANSITIONS, string> = {
  submit: 'The provider submits a draft for approval',
  approve: 'The authority approves a submitted entry',
  reject: 'The authority sends a submitted or approved entry back to draft (comment required)',
  publish:
    'The platform admin publishes an approved entry (runs the pool’s publish hooks in the same transaction)',
  retire: 'The platform admin retires a published entry (comment required)',
};

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const profile = getProfile(app.config.profile);
  const view = (req: Parameters<typeof actorOf>[0], id: string) =>
    app.read((tx) => svc.viewResource(tx, actorOf(req), id));

  app.get(
    '/resources',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listCatalogEntries',
        summary:
          'Search and browse the catalog (Chinese word search on name, keywords, summary and field labels) with facet counts',
        querystring: S.ResourceQuery,
        response: { 200: S.ResourcePage, ...Refusals },
      },
    },
    async (req) => {
      const { rows, total, facets } = await app.read((tx) =>
        svc.listResources(tx, actorOf(req), req.query),
      );
      return {
        items: rows.map(presentSummary),
        total,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        facets: presentFacets(facets, profile),
      };
    },
  );

  app.post(
    '/resources',
    {
      config: { access: { permission: 'catalog.write' } },
      schema: {
        tags,
        operationId: 'createCatalogEntry',
        summary: 'Write a new catalog entry (a draft, version 1)',
        body: S.ResourceCreate,
        response: { 201: S.Resource, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const row = await app.audited(
        req,
        (tx) => svc.createResource(tx, actorOf(req), req.body, profile),
        {
          action: 'resource.create',
          targetType: 'resource',
          details: (r) => ({ code: r.code, name: r.name }),
        },
      );
      return reply.status(201).send(presentResource(await view(req, row.id), profile));
    },
  );

  app.get(
    '/resources/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getCatalogEntry',
        summary: 'One entry with its fields, provider and lifecycle history',
        params: S.IdParams,
        response: { 200: S.Resource, ...Refusals },
      },
    },
    async (req) => presentResource(await view(req, req.params.id), profile),
  );

  app.patch(
    '/resources/:id',
    {
      config: { access: { permission: 'catalog.write' } },
      schema: {
        tags,
        operationId: 'updateCatalogEntry',
        summary:
          'Change an entry: every saved change is a new version; a published entry becomes a draft revision',
        params: S.IdParams,
        body: S.ResourcePatch,
        response: { 200: S.Resource, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) => {
      await app.audited(
        req,
        (tx) => svc.updateResource(tx, actorOf(req), req.params.id, req.body, profile),
        {
          action: 'resource.update',
          targetType: 'resource',
          details: (r) => ({ version: r.current_version, changed: Object.keys(req.body) }),
        },
      );
      return presentResource(await view(req, req.params.id), profile);
    },
  );

  for (const action of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
    app.post(
      `/resources/:id/${action}`,
      {
        config: { access: { permission: TRANSITION_PERMISSION[action] } },
        schema: {
          tags,
          operationId: `${action}CatalogEntry`,
          summary: TRANSITION_SUMMARY[action],
          params: S.IdParams,
          body: Type.Optional(S.Transition),
          response: { 200: S.Resource, ...Refusals, 409: ErrorBody },
        },
      },
      async (req) => {
        await app.audited(
          req,
          (tx) => svc.transition(tx, actorOf(req), req.params.id, action, req.body?.comment),
          {
            action: `resource.${action}`,
            targetType: 'resource',
            details: (r) => ({
              code: r.code,
              status: r.status,
              version: r.current_version,
              comment: req.body?.comment ?? null,
            }),
          },
        );
        return presentResource(await view(req, req.params.id), profile);
      },
    );
  }

  app.get(
    '/resources/:id/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listCatalogEntryVersions',
        summary: 'Every saved version of an entry, newest first',
        params: S.IdParams,
        response: { 200: S.VersionList, ...Refusals },
      },
    },
    async (req) => {
      const { view: v, rows } = await app.read((tx) =>
        svc.listVersions(tx, actorOf(req), req.params.id),
      );
      return { items: rows.map((r) => presentVersion(r, v.version, v.row.published_version)) };
    },
  );

  app.get(
    '/resources/:id/diff',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'diffCatalogEntryVersions',
        summary:
          'What changed between two versions: attributes, and fields added, removed and changed',
        params: S.IdParams,
        querystring: S.DiffQuery,
        response: { 200: S.Diff, ...Refusals },
      },
    },
    async (req) =>
      app.read((tx) =>
        svc.diffVersions(tx, actorOf(req), req.params.id, req.query.from, req.query.to),
      ),
  );

  app.get(
    '/catalog/dedupe',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'findOverlappingCatalogEntries',
        summary:
          'Existing entries overlapping a planned exchange or purchase by name and fields [000 §12]',
        querystring: S.DedupeQuery,
        response: { 200: S.DedupeResult, ...Refusals },
      },
    },
    async (req) => {
      const matches = await app.read((tx) => svc.dedupe(tx, actorOf(req), req.query));
      return {
        items: matches.map((m) => ({
          id: m.row.id,
          code: m.row.code,
          name: m.row.name,
          providerName: m.row.provider_name,
          status: m.row.status,
          score: m.score,
          nameScore: Math.round(m.nameScore * 100) / 100,
          matchedFields: m.matchedFields,
        })),
      };
    },
  );

  app.get(
    '/catalog/categories',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listCatalogCategories',
        summary: 'The subject category tree',
        response: { 200: S.CategoryTree, 401: ErrorBody },
      },
    },
    async () => ({ items: presentCategoryTree(await app.read(svc.listCategories)) }),
  );

  await app.register(catalogXlsxRoutes);
};
