/**
 * Chinese working-day calendar for deadlines.
 *
 * Deadlines in every profile count working days (工作日) on the official State Council
 * holiday schedule, including make-up working days (调休上班) that fall on weekends.
 * The schedule comes from the `chinese-days` package; an admin can override single days
 * (e.g. a local holiday or a late change to the schedule), and overrides always win.
 *
 * All days are handled as 'YYYY-MM-DD' strings in China Standard Time (Asia/Shanghai,
 * UTC+8, no daylight saving). Internally a day is an integer day number (days since
 * 1970-01-01) so arithmetic never touches the host time zone.
 */
import { createRequire } from 'node:module';

/** The shape of chinese-days' published data file (dist/chinese-days.json). */
interface OfficialSchedule {
  /** Days off, 'YYYY-MM-DD' → "English name,中文名,n". */
  holidays: Record<string, string>;
  /** Make-up working days on weekends (调休上班), same format. */
  workdays: Record<string, string>;
}

// We read the package's data file rather than call its isWorkday(): that function (and the
// table behind it) is built with local-time Date getters, so on a host west of UTC every
// holiday moves a day earlier. The JSON is keyed by plain 'YYYY-MM-DD' and is documented
// in the package README as a supported way to consume the schedule.
const official = createRequire(import.meta.url)(
  'chinese-days/dist/chinese-days.json',
) as OfficialSchedule;

/** An admin-edited exception to the official calendar. */
export type DayOverride = {
  /** The day, as 'YYYY-MM-DD'. */
  day: string;
  /** What the day is, whatever the official schedule says. */
  kind: 'workday' | 'holiday';
  /** Why, for the admin screen (e.g. "市政府通知 2025-07-01 防汛停工"). */
  note?: string;
};

/** A day given as a `Date` (read in Asia/Shanghai) or as a 'YYYY-MM-DD' string. */
export type DayInput = Date | string;

/** Working-day arithmetic over the official calendar plus a set of overrides. */
export interface WorkingDayCalendar {
  /** Whether the day is a working day. */
  isWorkingDay(day: DayInput): boolean;
  /**
   * The day `n` working days after `date`. `n = 0` returns `date` itself when it is a
   * working day, else the next working day; `n >= 1` counts working days strictly after
   * `date`, so a request received on day D with a 2-working-day deadline is due on
   * `addWorkingDays(D, 2)`.
   */
  addWorkingDays(date: DayInput, n: number): string;
  /**
   * The number of working days in the interval (a, b] — the first day excluded, the last
   * included. Negative when b is before a (then it counts (b, a]); 0 when they are equal.
   */
  workingDaysBetween(a: DayInput, b: DayInput): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: DayInput): string;
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a 'YYYY-MM-DD' string into a day number, or undefined if it is not a real day. */
function parseDayString(value: string): number | undefined {
  const match = DAY_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2025-02-30 over to 2025-03-02; a round trip catches that. It also maps
  // years 0-99 to 1900-1999, which the round trip rejects as well.
  return formatDayNumber(ms / MS_PER_DAY) === value ? ms / MS_PER_DAY : undefined;
}

function formatDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

function describe(input: unknown): string {
  if (input instanceof Date) return 'Invalid Date';
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

/** Converts a day input to a day number in China Standard Time, or throws a RangeError. */
function toDayNumber(input: DayInput, field = 'date'): number {
  if (input instanceof Date) {
    const ms = input.getTime();
    if (!Number.isNaN(ms)) return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  } else if (typeof input === 'string') {
    const dayNumber = parseDayString(input);
    if (dayNumber !== undefined) return dayNumber;
  }
  throw new RangeError(
    `${field} must be a valid Date or a real calendar day written as YYYY-MM-DD; got ${describe(input)}`,
  );
}

/**
 * Normalises a day input to 'YYYY-MM-DD' in China Standard Time (Asia/Shanghai).
 * `toDay(new Date('2025-09-30T17:00:00Z'))` is '2025-10-01', since that instant is
 * 01:00 on 1 October in Beijing.
 *
 * @throws RangeError on an invalid Date or a string that is not a real 'YYYY-MM-DD' day.
 */
export function toDay(input: DayInput): string {
  return formatDayNumber(toDayNumber(input));
}

/**
 * The years the official schedule covers. Outside them only weekends are days off, so an
 * admin screen can warn when a deadline runs past `last`.
 */
export const OFFICIAL_SCHEDULE_YEARS: Readonly<{ first: number; last: number }> = Object.freeze(
  (() => {
    const years = Object.keys(official.holidays).map((day) => Number(day.slice(0, 4)));
    return { first: Math.min(...years), last: Math.max(...years) };
  })(),
);

/** 1970-01-01, day number 0, was a Thursday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Whether the official schedule makes the day a working day. */
function officialIsWorkingDay(dayNumber: number): boolean {
  const day = formatDayNumber(dayNumber);
  if (official.workdays[day] !== undefined) return true;
  if (official.holidays[day] !== undefined) return false;
  const dow = weekday(dayNumber);
  return dow >= 1 && dow <= 5;
}

function indexOverrides(overrides: readonly DayOverride[]): Map<number, boolean> {
  const byDay = new Map<number, boolean>();
  overrides.forEach((override, i) => {
    const dayNumber = toDayNumber(override.day, `overrides[${i}].day`);
    if (override.kind !== 'workday' && override.kind !== 'holiday') {
      throw new RangeError(
        `overrides[${i}].kind must be 'workday' or 'holiday'; got ${describe(override.kind)}`,
      );
    }
    if (byDay.has(dayNumber)) {
      throw new RangeError(`overrides[${i}].day ${override.day} appears more than once`);
    }
    byDay.set(dayNumber, override.kind === 'workday');
  });
  return byDay;
}

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`n must be a whole number of working days, 0 or more; got ${String(n)}`);
  }
}

/**
 * Creates a working-day calendar: the official Chinese schedule (public holidays and
 * make-up working days, from the `chinese-days` package) with `overrides` on top.
 *
 * For years outside {@link OFFICIAL_SCHEDULE_YEARS}, every Monday-Friday counts as a
 * working day; enter the new year's schedule as overrides until the package is updated.
 *
 * @param overrides admin-edited days; each day may appear once.
 * @throws RangeError if an override has a malformed day, an unknown kind, or repeats a day.
 * @example
 * const calendar = createCalendar();
 * calendar.addWorkingDays('2025-09-30', 1); // '2025-10-09' — National Day week in between
 */
export function createCalendar(overrides: readonly DayOverride[] = []): WorkingDayCalendar {
  const overridden = indexOverrides(overrides);

  const isWorking = (dayNumber: number): boolean =>
    overridden.get(dayNumber) ?? officialIsWorkingDay(dayNumber);

  const nextWorking = (dayNumber: number): number => {
    let candidate = dayNumber + 1;
    while (!isWorking(candidate)) candidate += 1;
    return candidate;
  };

  /** Working days in (from, to], for from <= to. */
  const countForward = (from: number, to: number): number => {
    let count = 0;
    for (let dayNumber = from + 1; dayNumber <= to; dayNumber += 1) {
      if (isWorking(dayNumber)) count += 1;
    }
    return count;
  };

  return {
    isWorkingDay(day) {
      return isWorking(toDayNumber(day, 'day'));
    },

    addWorkingDays(date, n) {
      checkCount(n);
      const start = toDayNumber(date);
      if (n === 0) return formatDayNumber(isWorking(start) ? start : nextWorking(start));
      let dayNumber = start;
      for (let remaining = n; remaining > 0; remaining -= 1) dayNumber = nextWorking(dayNumber);
      return formatDayNumber(dayNumber);
    },

    workingDaysBetween(a, b) {
      const from = toDayNumber(a, 'a');
      const to = toDayNumber(b, 'b');
      return from <= to ? countForward(from, to) : -countForward(to, from);
    },

    nextWorkingDay(date) {
      return formatDayNumber(nextWorking(toDayNumber(date)));
    },
  };
}
