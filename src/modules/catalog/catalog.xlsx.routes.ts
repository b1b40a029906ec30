import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as S from './catalog.schemas.js';
import { listCategories, exportPage, contentForExport } from './catalog.service.js';
import { importWorkbook } from './catalog.import.js';
import { writeWorkbook, type ExportEntry } from './catalog.xlsx.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, FileBody, Refusals } from '../../server/platform/schemas.js';
import { getProfile } from '../profiles/index.js';
import { invalid } from '../../lib/errors.js';
import { acceptXlsxBody, XLSX_TYPE } from '../../lib/xlsx.js';

const tags = ['catalog'];
const ExportQuery = Type.Omit(S.ResourceQuery, ['page', 'pageSize'], {
  additionalProperties: false,
});

/** Spreadsheet export and import of the catalog, in the layout departments fill in. */
export const catalogXlsxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const profile = getProfile(app.config.profile);
  acceptXlsxBody(app);

  app.get(
    '/catalog/export.xlsx',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'exportCatalogWorkbook',
        summary:
          'The catalog (or the part the filters select) as XLSX: one row per field, drop-down lists on enumerated columns',
        querystring: ExportQuery,
        response: { 200: FileBody('the XLSX file', XLSX_TYPE), ...Refusals },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const categories = await app.read(listCategories);
      async function* entries(): AsyncGenerator<ExportEntry> {
        for (let page = 1; ; page++) {
          const rows = await app.read((tx) => exportPage(tx, actor, req.query, page));
          for (const r of rows)
            yield {
              code: r.code,
              providerName: r.provider_name,
              categoryCode: r.category_code,
              categoryName: r.category_name,
              status: r.shown_status,
              content: contentForExport(r),
            };
          if (rows.length < 200) return;
        }
      }
      const name = encodeURIComponent(`资源目录-${new Date().toISOString().slice(0, 10)}.xlsx`);
      return (
        reply
          .header('content-type', XLSX_TYPE)
          .header(
            'content-disposition',
            `attachment; filename="catalog.xlsx"; filename*=UTF-8''${name}`,
          )
          // A stream is sent as is; Fastify skips the schema's serialiser for it.
          .send(writeWorkbook(entries(), profile, categories) as unknown as string)
      );
    },
  );

  app.post(
    '/catalog/import',
    {
      config: { access: { permission: 'catalog.write' } },
      schema: {
        tags,
        operationId: 'importCatalogWorkbook',
        summary:
          'Import the catalog spreadsheet (body: the .xlsx file). Entries are created (no code) or revised (known code); every row is reported; an entry with a bad row is left out whole',
        querystring: S.ImportQuery,
        response: { 200: S.ImportReport, ...Refusals, 415: ErrorBody },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body) || !req.body.length) throw invalid('file', 'required');
      const file = req.body;
      return app.audited(
        req,
        (tx) => importWorkbook(tx, actorOf(req), file, profile, req.query.atomic ?? false),
        {
          action: 'catalog.import',
          targetType: 'catalog',
          targetId: 'import',
          details: (r) => ({
            committed: r.committed,
            created: r.created,
            updated: r.updated,
            rejected: r.rejected,
          }),
        },
      );
    },
  );
};
