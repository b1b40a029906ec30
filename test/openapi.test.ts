import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from './helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});
afterAll(() => ctx.close());

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      label: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      op,
    })),
  );

describe('the OpenAPI document', () => {
  it('names every operation with a camelCase operationId no other operation has', () => {
    const ops = operations(ctx.app.swagger() as unknown as Document);
    expect(ops.length).toBeGreaterThanOrEqual(90);
    const missing = ops.filter(({ op }) => !op.operationId).map(({ label }) => label);
    expect(missing).toEqual([]);
    const badlyCased = ops.filter(({ op }) => !/^[a-z][A-Za-z0-9]*$/.test(op.operationId!));
    expect(badlyCased.map(({ label, op }) => `${label}: ${op.operationId}`)).toEqual([]);
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { label, op } of ops) {
      const first = seen.get(op.operationId!);
      if (first) duplicates.push(`${op.operationId}: ${first} and ${label}`);
      else seen.set(op.operationId!, label);
    }
    expect(duplicates).toEqual([]);
  });

  it('documents every route the application serves, apart from the hidden ones', () => {
    const documented = new Set(
      operations(ctx.app.swagger() as unknown as Document).map((o) => o.label),
    );
    const served = ctx.app.routeTable
      .filter(
        (r) =>
          !r.url.startsWith('/api/docs') && !['/api/openapi.json', '/assets/*'].includes(r.url),
      )
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('declares the refusals of input wherever a route takes some', () => {
    // 400 for input that is refused (its schemas, or a body that is not JSON), and where a body is
    // read 413 past the size limit and 415 for a type nothing parses
    const missing = operations(ctx.app.swagger() as unknown as Document).flatMap(
      ({ label, method, op }) => {
        const takesBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
        const takesInput = takesBody || Boolean(op.parameters?.length || op.requestBody);
        const wanted = [...(takesInput ? ['400'] : []), ...(takesBody ? ['413', '415'] : [])];
        return wanted.filter((s) => !op.responses?.[s]).map((s) => `${label}: ${s}`);
      },
    );
    expect(missing).toEqual([]);
  });

  it('declares every error as JSON, whatever media type the operation answers with otherwise', () => {
    const ops = operations(ctx.app.swagger() as unknown as Document);
    const notJson = ops.flatMap(({ label, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status, r]) => Number(status) >= 400 && r.content)
        .filter(([, r]) => Object.keys(r.content!).join() !== 'application/json')
        .map(([status, r]) => `${label} ${status}: ${Object.keys(r.content!).join(', ')}`),
    );
    expect(notJson).toEqual([]);
    // and a file is declared as what it is
    const files = Object.fromEntries(
      ops
        .filter(({ op }) => op.responses?.['200']?.content)
        .map(({ label, op }) => [label, Object.keys(op.responses!['200'].content!).sort()] as const)
        .filter(([, types]) => types.join() !== 'application/json'),
    );
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    expect(files).toEqual({
      'GET /api/v1/batches/{id}/rejected': ['application/json', 'text/csv'],
      'GET /api/v1/catalog/export.xlsx': [XLSX],
      'GET /api/v1/channels/{id}/export': [XLSX, 'application/x-ndjson', 'text/csv'],
      'GET /api/v1/registry/tables-template.xlsx': [XLSX],
    });
  });

  it('asks no credentials of the routes anyone may call', () => {
    const ops = operations(ctx.app.swagger() as unknown as Document);
    const open = ops.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0);
    expect(open.map((o) => o.label).sort()).toEqual([
      'GET /api/v1/health',
      'POST /api/v1/auth/login',
    ]);
  });
});
