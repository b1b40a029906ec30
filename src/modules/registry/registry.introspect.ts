import pg from 'pg';
import mysql from 'mysql2/promise';
import { invalid } from '../../lib/errors.js';
import type { ColumnDef } from './registry.repository.js';
import { detectKind } from '../classification/index.js';

/** A table structure read from a body's live database. */
export interface LiveTable {
  databaseName: string;
  name: string;
  comment: string | null;
  columns: ColumnDef[];
}

const TIMEOUT_MS = 5000;
const SAMPLE = 200;

/**
 * Personal-data detection at registration: samples up to 200 rows of a live table and marks each
 * column whose values are mostly ID numbers, mobiles, names, addresses, bank cards or plates. A
 * table the account may not read is registered without marks.
 */
async function detectIn(
  table: LiveTable,
  sample: () => Promise<Record<string, unknown>[]>,
): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    rows = await sample();
  } catch {
    return;
  }
  for (const column of table.columns) {
    const found = detectKind(
      rows.map((r) => (r[column.name] == null ? null : String(r[column.name]))),
    );
    if (found)
      Object.assign(column, {
        detectedPii: found.kind,
        detectedShare: found.share,
        detectedSampled: found.sampled,
      });
  }
}

/** `character varying(50)` → 50; `numeric(10,2)` → 10; otherwise null. */
function lengthOf(type: string): number | null {
  const m = /\((\d+)/.exec(type);
  return m ? Number(m[1]) : null;
}

/**
 * Reads table and column structure (names, types, lengths, nullability, primary keys, comments)
 * from a PostgreSQL or MySQL/MariaDB server the body names. The connection string is used for
 * this call only and never stored or logged. Failures say only what kind of failure it was.
 */
export async function introspect(
  connectionString: string,
  schema: string | undefined,
  tables: string[] | undefined,
): Promise<{ kind: 'postgresql' | 'mysql'; tables: LiveTable[] }> {
  // Both drivers read the string as a URL and throw on one they cannot, before connecting (the
  // PostgreSQL one while its client is made): a string that is no URL is refused here, by rule.
  if (!URL.canParse(connectionString)) throw invalid('connectionString', 'format');
  if (/^postgres(ql)?:\/\//.test(connectionString))
    return {
      kind: 'postgresql',
      tables: await fromPostgres(connectionString, schema ?? 'public', tables),
    };
  return { kind: 'mysql', tables: await fromMysql(connectionString, schema, tables) };
}

const unreachable = (err: unknown) =>
  invalid('connectionString', 'unreachable', {
    reason: (err as { code?: string }).code ?? 'connection_failed',
  });

async function fromPostgres(
  url: string,
  schema: string,
  only: string[] | undefined,
): Promise<LiveTable[]> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: TIMEOUT_MS,
    statement_timeout: TIMEOUT_MS,
    application_name: 'gongshu-introspect',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw unreachable(err);
  }
  try {
    const { rows } = await client.query(
      `SELECT current_database() AS db, cl.relname AS table_name, obj_description(cl.oid, 'pg_class') AS table_comment,
         a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type, NOT a.attnotnull AS nullable,
         col_description(cl.oid, a.attnum) AS column_comment,
         EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS primary_key
       FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE n.nspname = $1 AND cl.relkind IN ('r', 'p') AND ($2::text[] IS NULL OR cl.relname = ANY($2))
       ORDER BY cl.relname, a.attnum`,
      [schema, only ?? null],
    );
    const tables = group(
      rows.map((r) => ({
        db: schema === 'public' ? r.db : `${r.db}.${schema}`,
        table: r.table_name,
        tableComment: r.table_comment,
        column: {
          name: r.column_name,
          type: r.data_type,
          length: lengthOf(r.data_type),
          nullable: r.nullable,
          primaryKey: r.primary_key,
          comment: r.column_comment,
        },
      })),
    );
    for (const t of tables) {
      await detectIn(t, async () => {
        const q = `SELECT * FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(t.name)} LIMIT ${SAMPLE}`;
        return (await client.query(q)).rows;
      });
    }
    return tables;
  } catch (err) {
    throw invalid('connectionString', 'introspection_failed', {
      reason: (err as { code?: string }).code ?? 'query_failed',
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function fromMysql(
  url: string,
  schema: string | undefined,
  only: string[] | undefined,
): Promise<LiveTable[]> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: url, connectTimeout: TIMEOUT_MS });
  } catch (err) {
    throw unreachable(err);
  }
  try {
    const [rows] = await conn.query(
      `SELECT c.TABLE_SCHEMA AS db, c.TABLE_NAME AS table_name, t.TABLE_COMMENT AS table_comment, c.COLUMN_NAME AS column_name,
         c.COLUMN_TYPE AS data_type, c.CHARACTER_MAXIMUM_LENGTH AS char_len, c.IS_NULLABLE AS nullable, c.COLUMN_KEY AS column_key, c.COLUMN_COMMENT AS column_comment
       FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
       WHERE c.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND t.TABLE_TYPE = 'BASE TABLE'
       ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
      [schema ?? null],
    );
    const wanted = only ? new Set(only) : null;
    const tables = group(
      (rows as Record<string, unknown>[])
        .filter((r) => !wanted || wanted.has(String(r.table_name)))
        .map((r) => ({
          db: String(r.db),
          table: String(r.table_name),
          tableComment: (r.table_comment as string) || null,
          column: {
            name: String(r.column_name),
            type: String(r.data_type),
            length: r.char_len == null ? lengthOf(String(r.data_type)) : Number(r.char_len),
            nullable: r.nullable === 'YES',
            primaryKey: r.column_key === 'PRI',
            comment: (r.column_comment as string) || null,
          },
        })),
    );
    for (const t of tables) {
      await detectIn(
        t,
        async () =>
          (
            await conn.query(
              conn.format(`SELECT * FROM ??.?? LIMIT ${SAMPLE}`, [t.databaseName, t.name]),
            )
          )[0] as Record<string, unknown>[],
      );
    }
    return tables;
  } catch (err) {
    throw invalid('connectionString', 'introspection_failed', {
      reason: (err as { code?: string }).code ?? 'query_failed',
    });
  } finally {
    await conn.end().catch(() => undefined);
  }
}

function group(
  rows: { db: string; table: string; tableComment: string | null; column: ColumnDef }[],
): LiveTable[] {
  const out = new Map<string, LiveTable>();
  for (const r of rows) {
    const t = out.get(r.table) ?? {
      databaseName: r.db,
      name: r.table,
      comment: r.tableComment,
      columns: [],
    };
    t.columns.push(r.column);
    out.set(r.table, t);
  }
  return [...out.values()];
}
