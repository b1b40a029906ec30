import type { Tx } from '../../db/pool.js';
import { invalid } from '../../lib/errors.js';
import type { PoolEntry, PoolField, PoolResource } from './pool.types.js';
import { SQL_TYPES, changeTable, col, ident, poolTable, tableNameFor } from './pool.sql.js';
import * as repo from './pool.repository.js';

const MACHINE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

function checkResource(resource: PoolResource): void {
  const seen = new Set<string>();
  resource.fields.forEach((f, i) => {
    if (!MACHINE_NAME.test(f.name)) throw invalid(`fields.${i}.name`, 'pattern');
    if (seen.has(f.name)) throw invalid(`fields.${i}.name`, 'unique');
    if (!(f.type in SQL_TYPES)) throw invalid(`fields.${i}.type`, 'enum');
    seen.add(f.name);
  });
  if (resource.identifierField && !seen.has(resource.identifierField))
    throw invalid('identifierField', 'reference');
}

/**
 * Creates the pool table and change table of a published resource, or — when the resource was
 * published before — adds columns for fields the new version adds. Column names are generated
 * (`c_<n>`) and never reused. Runs inside the catalog's publish transaction.
 */
export async function ensurePoolTable(tx: Tx, resource: PoolResource): Promise<PoolEntry> {
  checkResource(resource);
  const existing = await repo.findPoolEntry(tx, resource.id, { lock: true });
  return existing ? migratePoolTable(tx, existing, resource) : createPoolTable(tx, resource);
}

async function createPoolTable(tx: Tx, resource: PoolResource): Promise<PoolEntry> {
  const fields: PoolField[] = resource.fields.map((f, i) => ({ ...f, column: `c_${i + 1}` }));
  const entry: PoolEntry = {
    resourceId: resource.id,
    tableName: tableNameFor(resource.id),
    providerOrgId: resource.providerOrgId,
    code: resource.code,
    name: resource.name,
    version: resource.version,
    updateFrequency: resource.updateFrequency,
    identifierField: resource.identifierField,
    fields,
    nextColumn: fields.length + 1,
    publishedAt: new Date(),
    lastLoadedAt: null,
  };
  const columns = fields.map((f) => `${col(f)} ${SQL_TYPES[f.type]}`).join(', ');
  await tx.query(`CREATE TABLE ${poolTable(entry)} (
    _row_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${columns}${columns ? ',' : ''}
    _batch_id uuid NOT NULL,
    _valid_from timestamptz NOT NULL DEFAULT now(),
    _deleted boolean NOT NULL DEFAULT false)`);
  await tx.query(`CREATE TABLE ${changeTable(entry)} (
    cursor bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_id bigint NOT NULL,
    batch_id uuid NOT NULL,
    at timestamptz NOT NULL DEFAULT now())`);
  await createIdentifierIndex(tx, entry);
  await repo.insertPoolEntry(tx, entry);
  return entry;
}

async function createIdentifierIndex(tx: Tx, entry: PoolEntry): Promise<void> {
  const id = entry.fields.find((f) => f.name === entry.identifierField);
  if (id)
    await tx.query(
      `CREATE UNIQUE INDEX ${ident(`${entry.tableName}_ident`)} ON ${poolTable(entry)} (${col(id)})`,
    );
}

async function migratePoolTable(
  tx: Tx,
  entry: PoolEntry,
  resource: PoolResource,
): Promise<PoolEntry> {
  const byName = new Map(entry.fields.map((f) => [f.name, f]));
  let next = entry.nextColumn;
  const fields: PoolField[] = [];
  for (const [i, f] of resource.fields.entries()) {
    const old = byName.get(f.name);
    if (old && old.type !== f.type)
      throw invalid(`fields.${i}.type`, 'type_fixed_once_pooled', { from: old.type, to: f.type });
    const field: PoolField = { ...f, column: old?.column ?? `c_${next++}` };
    if (!old)
      await tx.query(
        `ALTER TABLE ${poolTable(entry)} ADD COLUMN ${col(field)} ${SQL_TYPES[f.type]}`,
      );
    fields.push(field);
  }
  const updated: PoolEntry = {
    ...entry,
    fields,
    nextColumn: next,
    code: resource.code,
    name: resource.name,
    version: resource.version,
    updateFrequency: resource.updateFrequency,
    providerOrgId: resource.providerOrgId,
    identifierField: resource.identifierField,
  };
  if (updated.identifierField !== entry.identifierField) {
    await tx.query(`DROP INDEX IF EXISTS pool.${ident(`${entry.tableName}_ident`)}`);
    await createIdentifierIndex(tx, updated);
  }
  await repo.updatePoolEntry(tx, updated);
  return updated;
}

/** The catalog's publish hook: builds or migrates the pool table of the published version. */
export async function poolOnPublish(tx: Tx, resource: PoolResource): Promise<void> {
  await ensurePoolTable(tx, resource);
}
