import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Spreadsheet export and import of the catalog. */
export const catalogXlsxRoutes: FastifyPluginAsyncTypebox = async () => {};
