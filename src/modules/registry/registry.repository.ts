import type { Tx } from '../../db/pool.js';

export interface SystemRow {
  id: string;
  org_id: string;
  org_name: string;
  name: string;
  description: string | null;
  owner: string;
  construction_stage: string;
  accepted: boolean;
  accepted_at: Date | null;
  created_at: Date;
  table_count: number;
  uncatalogued_tables: number;
}
export interface ColumnDef {
  name: string;
  type: string;
  length: number | null;
  nullable: boolean;
  primaryKey: boolean;
  comment: string | null;
  /** Personal data found in sampled values when the table was read from a live database. */
  detectedPii?: string | null;
  /** Of the sampled values that were filled, the share of that kind, and how many were sampled. */
  detectedShare?: number;
  detectedSampled?: number;
}
export interface TableRow {
  id: string;
  system_id: string;
  database_name: string;
  name: string;
  comment: string | null;
  columns: ColumnDef[];
  source: string;
  exemption_basis: string | null;
  updated_at: Date;
  catalogued: boolean;
  org_id: string;
}
export interface DatasetRow {
  id: string;
  org_id: string;
  org_name: string;
  system_id: string | null;
  kind: string;
  name: string;
  description: string | null;
  format: string | null;
  volume: string | null;
  supplier: string | null;
  contract_no: string | null;
  valid_until: string | null;
  created_at: Date;
}
export interface FunctionItemRow {
  id: string;
  org_id: string;
  duty: string;
  duty_basis: string | null;
  data_name: string;
  description: string | null;
  resource_id: string | null;
  resource_name: string | null;
  created_at: Date;
}

/**
 * A table counts as catalogued when an entry that is not retired is built from it (the link is kept
 * by the catalog).
 */
const CATALOGUED = `EXISTS (SELECT 1 FROM resource_sources rs JOIN resources r ON r.id = rs.resource_id WHERE rs.table_id = t.id AND r.status <> 'retired')`;
const SYSTEM = `s.*, o.name AS org_name,
  (SELECT count(*)::int FROM system_tables t WHERE t.system_id = s.id) AS table_count,
  (SELECT count(*)::int FROM system_tables t WHERE t.system_id = s.id AND t.exemption_basis IS NULL AND NOT ${CATALOGUED}) AS uncatalogued_tables
  FROM systems s JOIN organisations o ON o.id = s.org_id`;
const TABLE = `t.*, s.org_id, ${CATALOGUED} AS catalogued FROM system_tables t JOIN systems s ON s.id = t.system_id`;

/** `orgScope` null: every organisation. */
export async function listSystems(
  tx: Tx,
  orgScope: string | null,
  org: string | null,
): Promise<SystemRow[]> {
  const { rows } = await tx.query(
    `SELECT ${SYSTEM} WHERE ($1::uuid IS NULL OR s.org_id = $1) AND ($2::uuid IS NULL OR s.org_id = $2) ORDER BY o.name, s.name`,
    [orgScope, org],
  );
  return rows;
}
export async function getSystem(
  tx: Tx,
  id: string,
  orgScope: string | null,
  lock = false,
): Promise<SystemRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${SYSTEM} WHERE s.id = $1 AND ($2::uuid IS NULL OR s.org_id = $2) ${lock ? 'FOR UPDATE OF s' : ''}`,
    [id, orgScope],
  );
  return rows[0];
}
export async function insertSystem(
  tx: Tx,
  s: {
    org_id: string;
    name: string;
    description: string | null;
    owner: string;
    construction_stage: string;
  },
): Promise<string> {
  const { rows } = await tx.query(
    'INSERT INTO systems (org_id, name, description, owner, construction_stage) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [s.org_id, s.name, s.description, s.owner, s.construction_stage],
  );
  return rows[0].id;
}
export async function updateSystem(
  tx: Tx,
  id: string,
  p: {
    name?: string;
    description?: string | null;
    owner?: string;
    construction_stage?: string;
    accepted?: boolean;
  },
): Promise<void> {
  await tx.query(
    `UPDATE systems SET name = coalesce($2, name), description = CASE WHEN $3 THEN $4 ELSE description END, owner = coalesce($5, owner),
       construction_stage = coalesce($6, construction_stage), accepted = coalesce($7, accepted),
       accepted_at = CASE WHEN $7 IS TRUE AND NOT accepted THEN now() WHEN $7 IS FALSE THEN NULL ELSE accepted_at END, updated_at = now()
     WHERE id = $1`,
    [
      id,
      p.name ?? null,
      p.description !== undefined,
      p.description ?? null,
      p.owner ?? null,
      p.construction_stage ?? null,
      p.accepted ?? null,
    ],
  );
}

export async function listTables(tx: Tx, systemId: string): Promise<TableRow[]> {
  const { rows } = await tx.query(
    `SELECT ${TABLE} WHERE t.system_id = $1 ORDER BY t.database_name, t.name`,
    [systemId],
  );
  return rows;
}
export async function getTable(
  tx: Tx,
  id: string,
  orgScope: string | null,
): Promise<TableRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${TABLE} WHERE t.id = $1 AND ($2::uuid IS NULL OR s.org_id = $2)`,
    [id, orgScope],
  );
  return rows[0];
}
/**
 * Registers a table, or replaces the columns and comment of the one with the same database and
 * name.
 */
export async function upsertTable(
  tx: Tx,
  t: {
    system_id: string;
    database_name: string;
    name: string;
    comment: string | null;
    columns: ColumnDef[];
    source: string;
  },
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO system_tables (system_id, database_name, name, comment, columns, source) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ON CONSTRAINT system_tables_name_key DO UPDATE SET comment = EXCLUDED.comment, columns = EXCLUDED.columns, source = EXCLUDED.source, updated_at = now()
     RETURNING id`,
    [t.system_id, t.database_name, t.name, t.comment, JSON.stringify(t.columns), t.source],
  );
  return rows[0].id;
}
export async function updateTable(
  tx: Tx,
  id: string,
  p: { comment?: string | null; columns?: ColumnDef[]; exemption_basis?: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE system_tables SET comment = CASE WHEN $2 THEN $3 ELSE comment END, columns = coalesce($4, columns),
       exemption_basis = CASE WHEN $5 THEN $6 ELSE exemption_basis END, updated_at = now() WHERE id = $1`,
    [
      id,
      p.comment !== undefined,
      p.comment ?? null,
      p.columns ? JSON.stringify(p.columns) : null,
      p.exemption_basis !== undefined,
      p.exemption_basis ?? null,
    ],
  );
}
export async function countDatasetsOfSystem(tx: Tx, systemId: string): Promise<number> {
  const { rows } = await tx.query(
    'SELECT count(*)::int AS n FROM registered_datasets WHERE system_id = $1',
    [systemId],
  );
  return rows[0].n;
}

const DATASET =
  'd.*, o.name AS org_name FROM registered_datasets d JOIN organisations o ON o.id = d.org_id';
export async function listDatasets(
  tx: Tx,
  orgScope: string | null,
  org: string | null,
  kind: string | null,
): Promise<DatasetRow[]> {
  const { rows } = await tx.query(
    `SELECT ${DATASET} WHERE ($1::uuid IS NULL OR d.org_id = $1) AND ($2::uuid IS NULL OR d.org_id = $2) AND ($3::text IS NULL OR d.kind = $3) ORDER BY o.name, d.kind, d.name`,
    [orgScope, org, kind],
  );
  return rows;
}
export async function insertDataset(
  tx: Tx,
  d: Omit<DatasetRow, 'id' | 'org_name' | 'created_at'>,
): Promise<DatasetRow> {
  const { rows } = await tx.query(
    `WITH d AS (INSERT INTO registered_datasets (org_id, system_id, kind, name, description, format, volume, supplier, contract_no, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *)
     SELECT ${DATASET.replace('registered_datasets d', 'd')}`,
    [
      d.org_id,
      d.system_id,
      d.kind,
      d.name,
      d.description,
      d.format,
      d.volume,
      d.supplier,
      d.contract_no,
      d.valid_until,
    ],
  );
  return rows[0];
}

const ITEM =
  'f.*, r.name AS resource_name FROM function_data_items f LEFT JOIN resources r ON r.id = f.resource_id';
export async function listFunctionItems(tx: Tx, orgId: string): Promise<FunctionItemRow[]> {
  const { rows } = await tx.query(
    `SELECT ${ITEM} WHERE f.org_id = $1 ORDER BY f.duty, f.data_name`,
    [orgId],
  );
  return rows;
}
export async function getFunctionItem(
  tx: Tx,
  id: string,
  orgScope: string | null,
): Promise<FunctionItemRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${ITEM} WHERE f.id = $1 AND ($2::uuid IS NULL OR f.org_id = $2)`,
    [id, orgScope],
  );
  return rows[0];
}
export async function insertFunctionItem(
  tx: Tx,
  f: {
    org_id: string;
    duty: string;
    duty_basis: string | null;
    data_name: string;
    description: string | null;
    resource_id: string | null;
  },
): Promise<string> {
  const { rows } = await tx.query(
    'INSERT INTO function_data_items (org_id, duty, duty_basis, data_name, description, resource_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [f.org_id, f.duty, f.duty_basis, f.data_name, f.description, f.resource_id],
  );
  return rows[0].id;
}
export async function updateFunctionItem(
  tx: Tx,
  id: string,
  p: Record<string, unknown>,
): Promise<void> {
  const cols = ['duty', 'duty_basis', 'data_name', 'description', 'resource_id'] as const;
  const present = cols.filter((c) => p[c] !== undefined);
  if (!present.length) return;
  await tx.query(
    `UPDATE function_data_items SET ${present.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [id, ...present.map((c) => p[c])],
  );
}
export async function deleteFunctionItem(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM function_data_items WHERE id = $1', [id]);
}
export interface FunctionReviewRow {
  org_id: string;
  status: 'submitted' | 'approved' | 'returned';
  submitted_at: Date;
  submitted_by_name: string | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  comment: string | null;
}
export async function getFunctionReview(
  tx: Tx,
  orgId: string,
): Promise<FunctionReviewRow | undefined> {
  const { rows } = await tx.query('SELECT * FROM function_data_reviews WHERE org_id = $1', [orgId]);
  return rows[0];
}
export async function submitFunctionList(tx: Tx, orgId: string, byName: string): Promise<void> {
  await tx.query(
    `INSERT INTO function_data_reviews (org_id, status, submitted_at, submitted_by_name) VALUES ($1, 'submitted', now(), $2)
     ON CONFLICT (org_id) DO UPDATE SET status = 'submitted', submitted_at = now(), submitted_by_name = $2, decided_at = NULL, decided_by_name = NULL, comment = NULL`,
    [orgId, byName],
  );
}
export async function decideFunctionList(
  tx: Tx,
  orgId: string,
  status: 'approved' | 'returned',
  byName: string,
  comment: string | null,
): Promise<void> {
  await tx.query(
    `UPDATE function_data_reviews SET status = $2, decided_at = now(), decided_by_name = $3, comment = $4 WHERE org_id = $1`,
    [orgId, status, byName, comment],
  );
}
/** A changed list is no longer the one submitted or approved. */
export async function clearFunctionReview(tx: Tx, orgId: string): Promise<void> {
  await tx.query('DELETE FROM function_data_reviews WHERE org_id = $1', [orgId]);
}
/** Lists waiting for the authority, oldest first, with their bodies and sizes. */
export async function submittedFunctionLists(
  tx: Tx,
): Promise<(FunctionReviewRow & { org_name: string; items: number })[]> {
  const { rows } = await tx.query(
    `SELECT v.*, o.name AS org_name, (SELECT count(*)::int FROM function_data_items f WHERE f.org_id = v.org_id) AS items
       FROM function_data_reviews v JOIN organisations o ON o.id = v.org_id WHERE v.status = 'submitted' ORDER BY v.submitted_at`,
  );
  return rows;
}

/** True when the entry exists and is provided by `orgId`. */
export async function resourceOfOrg(tx: Tx, resourceId: string, orgId: string): Promise<boolean> {
  const { rows } = await tx.query(
    'SELECT 1 FROM resources WHERE id = $1 AND provider_org_id = $2',
    [resourceId, orgId],
  );
  return rows.length > 0;
}
