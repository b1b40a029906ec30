import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as S from './registry.schemas.js';
import * as svc from './registry.service.js';
import {
  presentDataset,
  presentFunctionItem,
  presentFunctionReview,
  presentSystem,
  presentTable,
} from './registry.presenter.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, FileBody, Refusals } from '../../server/platform/schemas.js';
import { getProfile } from '../profiles/index.js';
import { invalid } from '../../lib/errors.js';
import { acceptXlsxBody, XLSX_TYPE } from '../../lib/xlsx.js';
import { readTableWorkbook, tableTemplate } from './registry.xlsx.js';

const tags = ['registry'];
const write = { permission: 'registry.write' } as const;

/**
 * Registration (一本底帐): systems, tables, data sets, function data list; and catalog entries made
 * from tables.
 */
export const registryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const profile = getProfile(app.config.profile);

  app.get(
    '/systems',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listSystems',
        summary: 'Registered information systems (own body’s, or every body’s for the authority)',
        querystring: S.SystemQuery,
        response: { 200: Type.Object({ items: Type.Array(S.System) }), ...Refusals },
      },
    },
    async (req) => ({
      items: (await app.read((tx) => svc.listSystems(tx, actorOf(req), req.query.org))).map(
        presentSystem,
      ),
    }),
  );

  app.post(
    '/systems',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'registerSystem',
        summary: 'Register an information system',
        body: S.SystemCreate,
        response: { 201: S.System, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        presentSystem(
          await app.audited(req, (tx) => svc.createSystem(tx, actorOf(req), req.body), {
            action: 'system.create',
            targetType: 'system',
            details: (s) => ({ name: s.name }),
          }),
        ),
      ),
  );

  app.get(
    '/systems/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getSystem',
        summary: 'One system',
        params: S.IdParams,
        response: { 200: S.System, ...Refusals },
      },
    },
    async (req) =>
      presentSystem(await app.read((tx) => svc.getSystem(tx, actorOf(req), req.params.id))),
  );

  app.patch(
    '/systems/:id',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'updateSystem',
        summary:
          'Change a system; `accepted: true` only when every table is catalogued or exempted with a legal basis [000 §11]',
        params: S.IdParams,
        body: S.SystemPatch,
        response: { 200: S.System, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      presentSystem(
        await app.audited(
          req,
          (tx) => svc.updateSystem(tx, actorOf(req), req.params.id, req.body),
          { action: 'system.update', targetType: 'system', details: () => ({ changed: req.body }) },
        ),
      ),
  );

  app.get(
    '/systems/:id/tables',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listSystemTables',
        summary: 'Registered tables of a system, with columns',
        params: S.IdParams,
        response: { 200: Type.Object({ items: Type.Array(S.Table) }), ...Refusals },
      },
    },
    async (req) => ({
      items: (await app.read((tx) => svc.listTables(tx, actorOf(req), req.params.id))).map(
        presentTable,
      ),
    }),
  );

  app.post(
    '/systems/:id/tables',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'registerSystemTable',
        summary: 'Register a table structure by hand (replaces one of the same database and name)',
        params: S.IdParams,
        body: S.TableCreate,
        response: { 201: S.Table, ...Refusals },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        presentTable(
          await app.audited(
            req,
            (tx) => svc.createTable(tx, actorOf(req), req.params.id, req.body),
            {
              action: 'system.table_register',
              targetType: 'system_table',
              details: (t) => ({ name: t.name, columns: t.columns.length }),
            },
          ),
        ),
      ),
  );

  app.patch(
    '/systems/:id/tables/:tableId',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'updateSystemTable',
        summary: 'Change a table: comment, columns, or the legal basis keeping it out of the pool',
        params: S.TableParams,
        body: S.TablePatch,
        response: { 200: S.Table, ...Refusals },
      },
    },
    async (req) =>
      presentTable(
        await app.audited(
          req,
          (tx) => svc.updateTable(tx, actorOf(req), req.params.id, req.params.tableId, req.body),
          {
            action: 'system.table_update',
            targetType: 'system_table',
            details: () => ({ changed: Object.keys(req.body) }),
          },
        ),
      ),
  );

  acceptXlsxBody(app);

  app.get(
    '/registry/tables-template.xlsx',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getTableTemplateWorkbook',
        summary:
          'The table-structure sheet to fill in (表结构: one row per column), with examples and instructions',
        response: { 200: FileBody('an .xlsx file', XLSX_TYPE), 401: ErrorBody },
      },
    },
    async (_req, reply) =>
      reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="tables.xlsx"; filename*=UTF-8''${encodeURIComponent('表结构登记模板.xlsx')}`,
        )
        .send(await tableTemplate()),
  );

  app.post(
    '/systems/:id/tables/import',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'importSystemTables',
        summary:
          'Register the table structures of a filled-in sheet (body: the .xlsx file). All tables or none: every bad row is reported with its row, column and rule',
        params: S.IdParams,
        response: { 200: Type.Object({ items: Type.Array(S.Table) }), ...Refusals },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body)) throw invalid('body', 'xlsx');
      const sheet = await readTableWorkbook(req.body);
      const tables = await app.audited(
        req,
        (tx) => svc.importTables(tx, actorOf(req), req.params.id, sheet),
        {
          action: 'system.table_import',
          targetType: 'system',
          targetId: req.params.id,
          details: (ts) => ({ tables: ts.map((t) => t.name) }),
        },
      );
      return { items: tables.map(presentTable) };
    },
  );

  app.post(
    '/systems/:id/tables/introspect',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'introspectSystemTables',
        summary:
          'Read table structures from the body’s live PostgreSQL or MySQL database and register them (the connection string is not stored)',
        params: S.IdParams,
        body: S.Introspect,
        response: { 200: Type.Object({ items: Type.Array(S.Table) }), ...Refusals },
      },
    },
    async (req) => ({
      items: (
        await app.audited(
          req,
          (tx) => svc.introspectTables(tx, actorOf(req), req.params.id, req.body),
          {
            action: 'system.introspect',
            targetType: 'system',
            targetId: req.params.id,
            details: (ts) => ({ tables: ts.map((t) => t.name) }),
          },
        )
      ).map(presentTable),
    }),
  );

  app.post(
    '/resources/from-table',
    {
      config: { access: { permission: 'catalog.write' } },
      schema: {
        tags: ['catalog', ...tags],
        operationId: 'createCatalogEntryFromTable',
        summary:
          'Create a draft catalog entry from a registered table: its columns become the fields',
        body: S.FromTable,
        response: {
          201: Type.Object({
            id: S.Id,
            code: Type.String(),
            name: Type.String(),
            status: Type.String(),
          }),
          ...Refusals,
          409: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const r = await app.audited(
        req,
        (tx) => svc.resourceFromTable(tx, actorOf(req), req.body, profile),
        {
          action: 'resource.create',
          targetType: 'resource',
          details: (x) => ({ code: x.code, name: x.name, fromTable: req.body.tableId }),
        },
      );
      return reply.status(201).send({ id: r.id, code: r.code, name: r.name, status: r.status });
    },
  );

  app.get(
    '/datasets',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listDatasets',
        summary: 'Registered unstructured, purchased, exchanged and crawled data sets',
        querystring: S.DatasetQuery,
        response: { 200: Type.Object({ items: Type.Array(S.Dataset) }), ...Refusals },
      },
    },
    async (req) => ({
      items: (await app.read((tx) => svc.listDatasets(tx, actorOf(req), req.query))).map(
        presentDataset,
      ),
    }),
  );

  app.post(
    '/datasets',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'registerDataset',
        summary: 'Register a data set (purchased data names its supplier)',
        body: S.DatasetCreate,
        response: { 201: S.Dataset, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        presentDataset(
          await app.audited(req, (tx) => svc.createDataset(tx, actorOf(req), req.body), {
            action: 'dataset.create',
            targetType: 'dataset',
            details: (d) => ({ kind: d.kind, name: d.name }),
          }),
        ),
      ),
  );

  app.get(
    '/function-data',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listFunctionDataItems',
        summary: 'A body’s function data list (职能数据清单) [003 §10] and its 审定',
        querystring: S.OrgQuery,
        response: { 200: S.FunctionList, ...Refusals },
      },
    },
    async (req) => {
      const { items, review } = await app.read((tx) =>
        svc.listFunctionItems(tx, actorOf(req), req.query.org),
      );
      return {
        items: items.map(presentFunctionItem),
        review: review && presentFunctionReview(review),
      };
    },
  );

  app.post(
    '/function-data/submit',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'submitFunctionDataList',
        summary: 'Submit the body’s function data list to the data authority for 审定 [003 §10]',
        body: S.FunctionSubmit,
        response: { 200: S.FunctionReview, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      presentFunctionReview(
        await app.audited(req, (tx) => svc.submitFunctionList(tx, actorOf(req), req.body.orgId), {
          action: 'function_data.submit',
          targetType: 'organisation',
          targetId: req.body.orgId ?? actorOf(req).orgId,
        }),
      ),
  );

  app.get(
    '/function-data/submitted',
    {
      config: { access: { permission: 'catalog.review' } },
      schema: {
        tags,
        operationId: 'listSubmittedFunctionDataLists',
        summary: 'Function data lists waiting for the authority’s 审定, oldest first',
        response: { 200: Type.Object({ items: Type.Array(S.SubmittedList) }), ...Refusals },
      },
    },
    async () => ({
      items: (await app.read((tx) => svc.submittedFunctionLists(tx))).map((r) => ({
        orgId: r.org_id,
        orgName: r.org_name,
        items: r.items,
        submittedAt: r.submitted_at.toISOString(),
        submittedBy: r.submitted_by_name,
      })),
    }),
  );

  app.post(
    '/function-data/decision',
    {
      config: { access: { permission: 'catalog.review' } },
      schema: {
        tags,
        operationId: 'decideFunctionDataList',
        summary:
          'The data authority approves a submitted function data list or returns it with the reason',
        body: S.FunctionDecision,
        response: { 200: S.FunctionReview, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      presentFunctionReview(
        await app.audited(
          req,
          (tx) =>
            svc.decideFunctionList(
              tx,
              actorOf(req),
              req.body.orgId,
              req.body.decision,
              req.body.comment,
            ),
          {
            action: `function_data.${req.body.decision}`,
            targetType: 'organisation',
            targetId: req.body.orgId,
            details: () => ({ comment: req.body.comment ?? null }),
          },
        ),
      ),
  );

  app.post(
    '/function-data',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'createFunctionDataItem',
        summary: 'Add a duty and the data it produces to the body’s function data list',
        body: S.FunctionItemCreate,
        response: { 201: S.FunctionItem, ...Refusals, 409: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        presentFunctionItem(
          await app.audited(req, (tx) => svc.createFunctionItem(tx, actorOf(req), req.body), {
            action: 'function_data.create',
            targetType: 'function_data_item',
            details: (f) => ({ duty: f.duty, dataName: f.data_name }),
          }),
        ),
      ),
  );

  app.patch(
    '/function-data/:id',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'updateFunctionDataItem',
        summary: 'Change an item of the function data list (e.g. link it to its catalog entry)',
        params: S.IdParams,
        body: S.FunctionItemPatch,
        response: { 200: S.FunctionItem, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      presentFunctionItem(
        await app.audited(
          req,
          (tx) => svc.updateFunctionItem(tx, actorOf(req), req.params.id, req.body),
          {
            action: 'function_data.update',
            targetType: 'function_data_item',
            details: () => ({ changed: Object.keys(req.body) }),
          },
        ),
      ),
  );

  app.delete(
    '/function-data/:id',
    {
      config: { access: write },
      schema: {
        tags,
        operationId: 'deleteFunctionDataItem',
        summary: 'Remove an item of the function data list',
        params: S.IdParams,
        response: { 200: S.FunctionItem, ...Refusals },
      },
    },
    async (req) =>
      presentFunctionItem(
        await app.audited(req, (tx) => svc.deleteFunctionItem(tx, actorOf(req), req.params.id), {
          action: 'function_data.delete',
          targetType: 'function_data_item',
        }),
      ),
  );
};
