import type { Tx } from '../../db/pool.js';
import { AppError, invalid } from '../../lib/errors.js';
import type { Actor } from '../identity/index.js';
import type { Profile } from '../profiles/index.js';
import * as repo from './catalog.repository.js';
import { createResource, updateResource } from './catalog.service.js';
import { locate, readWorkbook, type RowProblem, type SheetEntry } from './catalog.xlsx.js';

type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';
interface ImportRow {
  row: number;
  code: string | null;
  name: string | null;
  outcome: Outcome;
  reasons: { field: string; rule: string; message: string }[];
}

const describe = (e: AppError) => {
  const d = e.details as { rule?: string };
  return d.rule ? `${e.message}（${d.rule}）` : e.message;
};

/**
 * Finds the provider an entry names: the caller's own body unless the platform admin names another.
 */
async function providerOf(tx: Tx, actor: Actor, entry: SheetEntry): Promise<string> {
  if (!entry.provider) return actor.orgId;
  const org = await repo.orgByName(tx, entry.provider);
  if (!org) throw invalid('providerOrgId', 'exists');
  return org.id;
}

/**
 * Writes one entry (create or, with a code, a new version) inside a savepoint; returns what
 * happened.
 */
async function writeEntry(
  tx: Tx,
  actor: Actor,
  entry: SheetEntry,
  profile: Profile,
): Promise<{ outcome: Outcome; code: string }> {
  const providerOrgId = await providerOf(tx, actor, entry);
  if (!entry.code) {
    const row = await createResource(
      tx,
      actor,
      { ...entry.content, providerOrgId, comment: '由电子表格导入' },
      profile,
    );
    return { outcome: 'created', code: row.code };
  }
  const existing = await repo.findByCode(tx, entry.code);
  if (!existing) throw invalid('code', 'exists');
  if (existing.provider_org_id !== providerOrgId) throw invalid('provider', 'matches_entry');
  // The sheet has no columns for validation rules (pattern, enum values, range, validator): keep
  // those of the same field.
  const known = new Map(existing.fields.map((f) => [f.name, f]));
  const fields = entry.content.fields.map((f) => {
    const old = known.get(f.name);
    return old
      ? {
          ...f,
          pattern: old.pattern,
          enumValues: old.enumValues,
          min: old.min,
          max: old.max,
          validator: old.validator,
        }
      : f;
  });
  const row = await updateResource(
    tx,
    actor,
    existing.id,
    { ...entry.content, fields, comment: '由电子表格导入' },
    profile,
  );
  return {
    outcome: row.current_version === existing.current_version ? 'unchanged' : 'updated',
    code: row.code,
  };
}

/**
 * Imports the catalog spreadsheet. Each entry is written whole or not at all (a savepoint per
 * entry): an entry with a bad row is rejected with the row, column and reason, and the others are
 * saved. With `atomic`, one bad row leaves the whole file unwritten.
 */
export async function importWorkbook(
  tx: Tx,
  actor: Actor,
  file: Buffer,
  profile: Profile,
  atomic: boolean,
) {
  let entries: SheetEntry[];
  try {
    entries = await readWorkbook(file, profile);
  } catch (err) {
    const columns = (err as { columns?: string[] }).columns;
    throw columns ? invalid('file', 'missing_columns', { columns }) : invalid('file', 'xlsx');
  }
  if (!entries.length) throw invalid('file', 'no_rows');
  const rows: ImportRow[] = [];
  await tx.query('SAVEPOINT catalog_import');
  for (const entry of entries) {
    const base = { code: entry.code, name: entry.content.name || null };
    const reject = (problems: RowProblem[]) => {
      for (const p of problems)
        rows.push({
          ...base,
          row: p.row,
          outcome: 'rejected',
          reasons: [
            { field: p.field, rule: p.rule, message: `第${p.row}行“${p.field}”：${p.message}` },
          ],
        });
    };
    if (entry.problems.length) {
      reject(entry.problems);
      continue;
    }
    await tx.query('SAVEPOINT catalog_import_entry');
    try {
      const done = await writeEntry(tx, actor, entry, profile);
      await tx.query('RELEASE SAVEPOINT catalog_import_entry');
      rows.push({
        ...base,
        code: done.code,
        row: entry.rows[0],
        outcome: done.outcome,
        reasons: [],
      });
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT catalog_import_entry');
      const e =
        err instanceof AppError
          ? err
          : (err as { code?: string }).code === '23505'
            ? new AppError('CONFLICT', { field: 'name', rule: 'unique' })
            : null;
      if (!e) throw err;
      const where = locate(entry, String((e.details as { field?: string }).field ?? 'name'));
      reject([
        {
          row: where.row,
          field: where.field,
          rule: String((e.details as { rule?: string }).rule ?? e.code),
          message: describe(e),
        },
      ]);
    }
  }
  const count = (o: Outcome) =>
    new Set(
      rows
        .filter((r) => r.outcome === o)
        .map((r) => (o === 'rejected' ? `${r.code ?? ''}|${r.name}` : r.row)),
    ).size;
  const committed = !(atomic && count('rejected') > 0);
  if (!committed) await tx.query('ROLLBACK TO SAVEPOINT catalog_import');
  rows.sort((a, b) => a.row - b.row);
  return {
    committed,
    created: committed ? count('created') : 0,
    updated: committed ? count('updated') : 0,
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    rows,
  };
}
