/** Quality scores (C5), each a share between 0 and 1. */
export type UpdateFrequency =
  | 'realtime'
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'quarterly'
  | 'yearly'
  | 'irregular';

/** How long data of each declared update frequency stays fresh; irregular data never goes stale. */
export const FRESH_FOR: Record<UpdateFrequency, string | null> = {
  realtime: '1 day',
  daily: '1 day',
  weekly: '7 days',
  monthly: '1 month',
  quarterly: '3 months',
  yearly: '1 year',
  irregular: null,
};

const DAY = 86_400_000;
const FRESH_DAYS: Record<UpdateFrequency, number | null> = {
  realtime: 1,
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  yearly: 366,
  irregular: null,
};

/**
 * Timeliness of data last refreshed at `since`, seen at `at`: 1 while within the declared
 * frequency, then falling as period / elapsed.
 */
export function timeliness(frequency: UpdateFrequency, since: Date, at: Date): number {
  const period = FRESH_DAYS[frequency];
  if (period === null) return 1;
  const elapsed = (at.getTime() - since.getTime()) / DAY;
  return elapsed <= period ? 1 : round(period / elapsed);
}

export interface BatchScores {
  completeness: number;
  accuracy: number;
  consistency: number;
  timeliness: number;
  overall: number;
}

/**
 * Scores of a batch from its counts: filled cells, rows breaking field rules, rows breaking dataset
 * rules.
 */
export function batchScores(input: {
  received: number;
  fieldCount: number;
  filledCells: number;
  inaccurateRows: number;
  inconsistentRows: number;
  timeliness: number;
}): BatchScores {
  const { received, fieldCount } = input;
  const share = (bad: number) => (received === 0 ? 1 : round(1 - bad / received));
  const completeness =
    received === 0 || fieldCount === 0 ? 1 : round(input.filledCells / (received * fieldCount));
  const accuracy = share(input.inaccurateRows);
  const consistency = share(input.inconsistentRows);
  const overall = round((completeness + accuracy + consistency + input.timeliness) / 4);
  return { completeness, accuracy, consistency, timeliness: round(input.timeliness), overall };
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;
