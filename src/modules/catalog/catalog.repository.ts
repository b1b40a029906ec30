import type { Tx } from '../../db/pool.js';
import type { CatalogScope } from './catalog.policy.js';
import type { CatalogField, EntryContent, ResourceStatus } from './catalog.types.js';

export interface ResourceRow {
  id: string;
  code: string;
  provider_org_id: string;
  status: ResourceStatus;
  current_version: number;
  published_version: number | null;
  name: string;
  summary: string;
  category_code: string;
  source_system_id: string | null;
  identifier_kind: EntryContent['identifierKind'];
  identifier_field: string | null;
  share_type: string;
  share_conditions: string | null;
  legal_basis: string | null;
  open_type: EntryContent['openType'];
  security_level: EntryContent['securityLevel'];
  update_frequency: EntryContent['updateFrequency'];
  keywords: string[];
  fields: CatalogField[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  provider_name: string;
  provider_code: string;
  category_name: string;
  source_system_name: string | null;
  source_table_ids: string[];
}
export interface ListRow extends ResourceRow {
  shown_status: ResourceStatus;
  public_snapshot: EntryContent | null;
  rank: number | null;
}
export interface VersionRow {
  version: number;
  snapshot: EntryContent;
  comment: string | null;
  author_name: string | null;
  created_at: Date;
}
export interface EventRow {
  action: string;
  from_status: string | null;
  to_status: string;
  version: number;
  comment: string | null;
  actor_name: string | null;
  actor_org: string | null;
  created_at: Date;
}
export interface CategoryRow {
  code: string;
  name: string;
  name_en: string;
  parent_code: string | null;
}

const RESOURCE = `r.*, o.name AS provider_name, o.code AS provider_code, c.name AS category_name, s.name AS source_system_name,
  COALESCE((SELECT array_agg(rs.table_id ORDER BY rs.table_id) FROM resource_sources rs WHERE rs.resource_id = r.id), '{}') AS source_table_ids
  FROM resources r JOIN organisations o ON o.id = r.provider_org_id
  JOIN catalog_categories c ON c.code = r.category_code LEFT JOIN systems s ON s.id = r.source_system_id`;

/** Columns of an entry's content, in the order `contentValues` gives them. */
const CONTENT_COLUMNS = [
  'name',
  'summary',
  'category_code',
  'source_system_id',
  'identifier_kind',
  'identifier_field',
  'share_type',
  'share_conditions',
  'legal_basis',
  'open_type',
  'security_level',
  'update_frequency',
  'keywords',
  'fields',
  'search',
] as const;
const contentValues = (c: EntryContent, search: string) => [
  c.name,
  c.summary,
  c.categoryCode,
  c.sourceSystemId,
  c.identifierKind,
  c.identifierField,
  c.shareType,
  c.shareConditions,
  c.legalBasis,
  c.openType,
  c.securityLevel,
  c.updateFrequency,
  c.keywords,
  JSON.stringify(c.fields),
  search,
];

/** Loads one entry the scope may see (`null` scope: any); `lock` takes a row lock for a change. */
export async function getResource(
  tx: Tx,
  id: string,
  scope: CatalogScope | null,
  lock = false,
): Promise<ResourceRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${RESOURCE} WHERE r.id = $1 AND ($2::boolean IS NULL OR $2 OR r.provider_org_id = $3 OR r.published_version IS NOT NULL)
     ${lock ? 'FOR UPDATE OF r' : ''}`,
    [id, scope ? scope.all : null, scope?.orgId ?? null],
  );
  return rows[0];
}

export async function findByCode(tx: Tx, code: string): Promise<ResourceRow | undefined> {
  const { rows } = await tx.query(`SELECT ${RESOURCE} WHERE r.code = $1`, [code]);
  return rows[0];
}

/** Takes the next sequence number for entry codes of a category and provider. */
export async function nextSequence(tx: Tx, categoryCode: string, orgId: string): Promise<number> {
  const { rows } = await tx.query(
    `INSERT INTO resource_code_sequences (category_code, provider_org_id, last) VALUES ($1, $2, 1)
     ON CONFLICT (category_code, provider_org_id) DO UPDATE SET last = resource_code_sequences.last + 1 RETURNING last`,
    [categoryCode, orgId],
  );
  return rows[0].last;
}

export async function insertResource(
  tx: Tx,
  r: {
    code: string;
    providerOrgId: string;
    createdBy: string | null;
    content: EntryContent;
    search: string;
  },
): Promise<string> {
  const cols = ['code', 'provider_org_id', 'created_by', ...CONTENT_COLUMNS];
  const values = [r.code, r.providerOrgId, r.createdBy, ...contentValues(r.content, r.search)];
  const { rows } = await tx.query(
    `INSERT INTO resources (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values,
  );
  return rows[0].id;
}

/** Writes new content as version `version`, and the status it leaves the entry in. */
export async function updateContent(
  tx: Tx,
  id: string,
  content: EntryContent,
  search: string,
  version: number,
  status: ResourceStatus,
): Promise<void> {
  const sets = CONTENT_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ');
  await tx.query(
    `UPDATE resources SET ${sets}, current_version = $${CONTENT_COLUMNS.length + 2}, status = $${CONTENT_COLUMNS.length + 3}, updated_at = now() WHERE id = $1`,
    [id, ...contentValues(content, search), version, status],
  );
}

export async function setStatus(
  tx: Tx,
  id: string,
  status: ResourceStatus,
  publish: boolean,
): Promise<void> {
  await tx.query(
    `UPDATE resources SET status = $2, updated_at = now(),
       published_version = CASE WHEN $3 THEN current_version ELSE published_version END,
       published_at = CASE WHEN $3 THEN now() ELSE published_at END
     WHERE id = $1`,
    [id, status, publish],
  );
}

/** Replaces the registered tables an entry is built from. */
export async function setSources(tx: Tx, id: string, tableIds: string[]): Promise<void> {
  await tx.query(
    `WITH gone AS (DELETE FROM resource_sources WHERE resource_id = $1)
     INSERT INTO resource_sources (resource_id, table_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
    [id, tableIds],
  );
}

export async function insertVersion(
  tx: Tx,
  v: {
    resourceId: string;
    version: number;
    snapshot: EntryContent;
    comment: string | null;
    authorId: string | null;
    authorName: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO resource_versions (resource_id, version, snapshot, comment, author_id, author_name) VALUES ($1, $2, $3, $4, $5, $6)`,
    [v.resourceId, v.version, JSON.stringify(v.snapshot), v.comment, v.authorId, v.authorName],
  );
}

export async function listVersions(tx: Tx, id: string): Promise<VersionRow[]> {
  const { rows } = await tx.query(
    'SELECT * FROM resource_versions WHERE resource_id = $1 ORDER BY version DESC',
    [id],
  );
  return rows;
}

export async function getVersion(
  tx: Tx,
  id: string,
  version: number,
): Promise<VersionRow | undefined> {
  const { rows } = await tx.query(
    'SELECT * FROM resource_versions WHERE resource_id = $1 AND version = $2',
    [id, version],
  );
  return rows[0];
}

export async function insertEvent(
  tx: Tx,
  e: {
    resourceId: string;
    action: string;
    fromStatus: string | null;
    toStatus: string;
    version: number;
    comment: string | null;
    actorId: string;
    actorName: string;
    actorOrg: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO resource_events (resource_id, action, from_status, to_status, version, comment, actor_id, actor_name, actor_org)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      e.resourceId,
      e.action,
      e.fromStatus,
      e.toStatus,
      e.version,
      e.comment,
      e.actorId,
      e.actorName,
      e.actorOrg,
    ],
  );
}

export async function listEvents(tx: Tx, id: string): Promise<EventRow[]> {
  const { rows } = await tx.query(
    'SELECT * FROM resource_events WHERE resource_id = $1 ORDER BY id DESC',
    [id],
  );
  return rows;
}

// search

export interface SearchFilter {
  scope: CatalogScope;
  tsquery: string | null;
  status?: string;
  provider?: string;
  shareType?: string;
  openType?: string;
  category?: string;
  level?: string;
  mine?: boolean;
}
export type FacetDimension =
  | 'provider'
  | 'category'
  | 'shareType'
  | 'openType'
  | 'level'
  | 'status';
/**
 * Facet dimensions and the column (of the visible set `v`) each counts; never taken from the
 * client.
 */
const FACET_COLUMNS: Record<FacetDimension, { value: string; label: string }> = {
  provider: { value: 'v.provider_org_id::text', label: 'o.name' },
  category: { value: 'v.category_code', label: 'c.name' },
  shareType: { value: 'v.share_type', label: 'v.share_type' },
  openType: { value: 'v.open_type', label: 'v.open_type' },
  level: { value: 'v.security_level', label: 'v.security_level' },
  status: { value: 'v.shown_status', label: 'v.shown_status' },
};

/**
 * The entries a scope sees, with the status it sees (outsiders see a revision under way as its
 * published version), matching the filters; `skip` leaves one filter out, for that facet's counts.
 */
function visible(f: SearchFilter, skip?: FacetDimension): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.scope.all, f.scope.orgId, f.tsquery];
  const where: string[] = ['($3::tsquery IS NULL OR v.search @@ $3::tsquery)'];
  const add = (dim: FacetDimension | null, column: string, value: unknown) => {
    if (value === undefined || value === null || dim === skip) return;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  add('status', 'v.shown_status', f.status);
  add('provider', 'v.provider_org_id', f.provider);
  add('shareType', 'v.share_type', f.shareType);
  add('openType', 'v.open_type', f.openType);
  add('level', 'v.security_level', f.level);
  if (f.category && skip !== 'category') {
    params.push(f.category);
    where.push(`v.category_code LIKE $${params.length} || '%'`);
  }
  if (f.mine) where.push('v.provider_org_id = $2');
  const sql = `WITH v AS (
      SELECT r.*, ($1 OR r.provider_org_id = $2) AS insider,
        CASE WHEN $1 OR r.provider_org_id = $2 THEN r.status WHEN r.status = 'retired' THEN 'retired' ELSE 'published' END AS shown_status
      FROM resources r WHERE $1 OR r.provider_org_id = $2 OR r.published_version IS NOT NULL)
    SELECT %COLUMNS% FROM v JOIN organisations o ON o.id = v.provider_org_id JOIN catalog_categories c ON c.code = v.category_code
    WHERE ${where.join(' AND ')}`;
  return { sql, params };
}

/** One page of matching entries, best match first when there is a query. */
export async function search(
  tx: Tx,
  f: SearchFilter,
  limit: number,
  offset: number,
): Promise<{ rows: ListRow[]; total: number }> {
  const { sql, params } = visible(f);
  const columns = `v.*, o.name AS provider_name, o.code AS provider_code, c.name AS category_name, NULL AS source_system_name,
    '{}'::uuid[] AS source_table_ids,
    CASE WHEN NOT v.insider AND v.status NOT IN ('published', 'retired')
      THEN (SELECT snapshot FROM resource_versions pv WHERE pv.resource_id = v.id AND pv.version = v.published_version) END AS public_snapshot,
    CASE WHEN $3::tsquery IS NULL THEN NULL ELSE ts_rank(v.search, $3::tsquery) END AS rank,
    count(*) OVER () AS total`;
  const order = `ORDER BY rank DESC NULLS LAST, (v.shown_status = 'published') DESC, v.updated_at DESC, v.code
    LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
  const { rows } = await tx.query(`${sql.replace('%COLUMNS%', columns)} ${order}`, [
    ...params,
    limit,
    offset,
  ]);
  return { rows, total: rows[0]?.total ?? 0 };
}

/** Counts per value of one dimension over the entries matching every other filter. */
export async function facet(
  tx: Tx,
  f: SearchFilter,
  dim: FacetDimension,
): Promise<{ value: string; label: string; count: number }[]> {
  const { sql, params } = visible(f, dim);
  const col = FACET_COLUMNS[dim];
  const { rows } = await tx.query(
    `${sql.replace('%COLUMNS%', `${col.value} AS value, ${col.label} AS label, count(*)::int AS count`)} GROUP BY 1, 2 ORDER BY 3 DESC, 2`,
    params,
  );
  return rows;
}

/** Live or own entries sharing a word of the name or a field name/label with the given ones. */
export async function dedupeCandidates(
  tx: Tx,
  scope: CatalogScope,
  tsquery: string | null,
  fieldTerms: string[],
): Promise<ResourceRow[]> {
  const { rows } = await tx.query(
    `SELECT ${RESOURCE} WHERE ($1 OR r.provider_org_id = $2 OR r.published_version IS NOT NULL) AND r.status <> 'retired'
       AND (($3::tsquery IS NOT NULL AND r.search @@ $3::tsquery)
         OR EXISTS (SELECT 1 FROM jsonb_array_elements(r.fields) f WHERE f->>'name' = ANY($4) OR f->>'label' = ANY($4)))
     LIMIT 200`,
    [scope.all, scope.orgId, tsquery, fieldTerms],
  );
  return rows;
}

// categories and sources

export async function listCategories(tx: Tx): Promise<CategoryRow[]> {
  const { rows } = await tx.query(
    'SELECT code, name, name_en, parent_code FROM catalog_categories ORDER BY code',
  );
  return rows;
}

export async function getCategory(tx: Tx, code: string): Promise<CategoryRow | undefined> {
  const { rows } = await tx.query(
    'SELECT code, name, name_en, parent_code FROM catalog_categories WHERE code = $1',
    [code],
  );
  return rows[0];
}

/**
 * Of `tableIds`, those registered under a system of `orgId`. (Reads the registry's tables: the link
 * is the catalog's.)
 */
export async function tablesOfOrg(tx: Tx, orgId: string, tableIds: string[]): Promise<string[]> {
  const { rows } = await tx.query(
    'SELECT t.id FROM system_tables t JOIN systems s ON s.id = t.system_id WHERE s.org_id = $1 AND t.id = ANY($2::uuid[])',
    [orgId, tableIds],
  );
  return rows.map((r) => r.id);
}

export async function systemOfOrg(tx: Tx, orgId: string, systemId: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM systems WHERE id = $1 AND org_id = $2', [
    systemId,
    orgId,
  ]);
  return rows.length > 0;
}

export async function orgById(
  tx: Tx,
  id: string,
): Promise<{ id: string; name: string; code: string; short_code: string | null } | undefined> {
  const { rows } = await tx.query(
    'SELECT id, name, code, short_code FROM organisations WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function orgByName(
  tx: Tx,
  name: string,
): Promise<{ id: string; name: string; code: string } | undefined> {
  const { rows } = await tx.query(
    'SELECT id, name, code FROM organisations WHERE name = $1 OR short_code = $1',
    [name],
  );
  return rows[0];
}
