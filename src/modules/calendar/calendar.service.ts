import type { Tx } from '../../db/pool.js';
import { createCalendar } from '../../lib/working-days.js';
import * as repo from './calendar.repository.js';

/**
 * The working-day calendar as the platform admin has adjusted it; later modules compute deadlines
 * with it.
 */
export async function loadCalendar(tx: Tx) {
  const overrides = await repo.listOverrides(tx);
  return createCalendar(
    overrides.map(({ day, kind, note }) => ({ day, kind, note: note ?? undefined })),
  );
}
