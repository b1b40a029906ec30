import type { Tx } from '../../db/pool.js';
import type { DayOverride } from '../../lib/working-days.js';

export async function listOverrides(tx: Tx): Promise<(DayOverride & { updatedAt: Date })[]> {
  const { rows } = await tx.query(
    `SELECT day, kind, note, updated_at AS "updatedAt" FROM calendar_overrides ORDER BY day`,
  );
  return rows;
}
export async function upsertOverride(
  tx: Tx,
  o: DayOverride,
  by: string | null,
): Promise<DayOverride> {
  const { rows } = await tx.query(
    `INSERT INTO calendar_overrides (day, kind, note, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note, updated_by = excluded.updated_by, updated_at = now()
     RETURNING day, kind, note`,
    [o.day, o.kind, o.note ?? null, by],
  );
  return rows[0];
}
export async function deleteOverride(tx: Tx, day: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM calendar_overrides WHERE day = $1', [day]);
  return (rowCount ?? 0) > 0;
}
