import chineseDays from 'chinese-days';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFICIAL_SCHEDULE_YEARS, createCalendar, toDay } from './working-days.js';

const calendar = createCalendar();

describe('working-day calendar', () => {
  describe('National Day 2025 (holiday 10-01..10-08, make-up days 09-28 and 10-11)', () => {
    it('skips the whole holiday week: one working day after 09-30 is 10-09', () => {
      expect(calendar.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
      expect(calendar.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
    });

    it('treats every day of the holiday as a day off', () => {
      for (let d = 1; d <= 8; d += 1) {
        expect(calendar.isWorkingDay(`2025-10-0${d}`)).toBe(false);
      }
      expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
    });

    it('counts the make-up Sunday 09-28 and Saturday 10-11 as working days', () => {
      expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
      expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
      expect(calendar.isWorkingDay('2025-09-27')).toBe(false);
      expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
      expect(calendar.nextWorkingDay('2025-09-27')).toBe('2025-09-28');
      expect(calendar.addWorkingDays('2025-10-09', 2)).toBe('2025-10-11');
    });

    it('counts one working day across the holiday', () => {
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    });
  });

  describe('Spring Festival 2026 (holiday 02-15..02-23, make-up Saturdays 02-14 and 02-28)', () => {
    it('matches the State Council schedule carried by chinese-days', () => {
      expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
      for (let d = 15; d <= 23; d += 1) expect(calendar.isWorkingDay(`2026-02-${d}`)).toBe(false);
      expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
      expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
      expect(calendar.isWorkingDay('2026-03-01')).toBe(false);
    });

    it('puts a 2-working-day answer for a Thursday request on the make-up Saturday', () => {
      // Huizhou: conditional share requests are answered within 2 working days [003 §13].
      expect(calendar.addWorkingDays('2026-02-12', 2)).toBe('2026-02-14');
      // ...and delivered within 3 working days of the answer.
      expect(calendar.addWorkingDays('2026-02-14', 3)).toBe('2026-02-26');
    });

    it('stretches a 10-working-day deadline from 02-13 to 03-05', () => {
      // 02-14, 02-24..27, 02-28 (make-up), 03-02..05
      expect(calendar.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
      expect(calendar.addWorkingDays('2026-02-13', 10)).toBe('2026-03-05');
    });

    it('counts working days over the festival in both directions', () => {
      expect(calendar.workingDaysBetween('2026-02-13', '2026-02-27')).toBe(5);
      expect(calendar.workingDaysBetween('2026-02-13', '2026-03-05')).toBe(10);
      expect(calendar.workingDaysBetween('2026-02-27', '2026-02-13')).toBe(-5);
      expect(calendar.workingDaysBetween('2026-02-01', '2026-02-28')).toBe(16);
      expect(calendar.workingDaysBetween('2026-02-15', '2026-02-23')).toBe(0);
      expect(calendar.workingDaysBetween('2026-02-13', '2026-02-13')).toBe(0);
    });
  });

  describe('addWorkingDays with n = 0', () => {
    it('returns a working day itself', () => {
      expect(calendar.addWorkingDays('2025-09-30', 0)).toBe('2025-09-30');
    });

    it('moves a day off to the next working day', () => {
      expect(calendar.addWorkingDays('2025-10-01', 0)).toBe('2025-10-09');
      expect(calendar.addWorkingDays('2025-09-27', 0)).toBe('2025-09-28');
    });
  });

  describe('overrides', () => {
    it('lets a holiday override shift a deadline', () => {
      const withFlood = createCalendar([{ day: '2026-02-13', kind: 'holiday', note: '防汛停工' }]);
      expect(calendar.addWorkingDays('2026-02-12', 2)).toBe('2026-02-14');
      expect(withFlood.isWorkingDay('2026-02-13')).toBe(false);
      expect(withFlood.addWorkingDays('2026-02-12', 2)).toBe('2026-02-24');
      expect(withFlood.workingDaysBetween('2026-02-12', '2026-02-24')).toBe(2);
    });

    it('lets a workday override beat an official holiday', () => {
      const open = createCalendar([{ day: '2025-10-02', kind: 'workday' }]);
      expect(open.isWorkingDay('2025-10-02')).toBe(true);
      expect(open.addWorkingDays('2025-09-30', 1)).toBe('2025-10-02');
    });

    it('lets a holiday override beat an official make-up day', () => {
      const off = createCalendar([{ day: '2025-09-28', kind: 'holiday' }]);
      expect(off.isWorkingDay('2025-09-28')).toBe(false);
      expect(off.nextWorkingDay('2025-09-26')).toBe('2025-09-29');
    });

    it('refuses malformed, unknown or repeated overrides', () => {
      expect(() => createCalendar([{ day: '2025-9-1', kind: 'holiday' }])).toThrow(
        /overrides\[0\]\.day must be .*YYYY-MM-DD/,
      );
      const badKind = [{ day: '2025-09-01', kind: 'rest' }] as unknown as [];
      expect(() => createCalendar(badKind)).toThrow(/overrides\[0\]\.kind/);
      expect(() =>
        createCalendar([
          { day: '2025-09-01', kind: 'holiday' },
          { day: '2025-09-01', kind: 'workday' },
        ]),
      ).toThrow(/overrides\[1\]\.day 2025-09-01 appears more than once/);
    });
  });

  describe('dates as Date values, read in Asia/Shanghai', () => {
    it('maps an instant late in the UTC day to the next Chinese day', () => {
      const beijingOneAm = new Date('2025-09-30T17:00:00Z'); // 2025-10-01 01:00 +08:00
      expect(toDay(beijingOneAm)).toBe('2025-10-01');
      expect(calendar.isWorkingDay(beijingOneAm)).toBe(false);
      expect(calendar.addWorkingDays(beijingOneAm, 0)).toBe('2025-10-09');
    });

    it('keeps the last instant before Beijing midnight on the same day', () => {
      const lastMoment = new Date('2025-09-30T15:59:59.999Z');
      expect(toDay(lastMoment)).toBe('2025-09-30');
      expect(calendar.isWorkingDay(lastMoment)).toBe(true);
      expect(toDay(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
    });

    describe('whatever the host time zone', () => {
      const originalTz = process.env.TZ;
      afterEach(() => {
        if (originalTz === undefined) delete process.env.TZ;
        else process.env.TZ = originalTz;
      });

      it.each(['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC'])('in %s', (tz) => {
        process.env.TZ = tz;
        const fresh = createCalendar();
        expect(fresh.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
        expect(fresh.isWorkingDay('2026-02-14')).toBe(true);
        expect(toDay(new Date('2025-09-30T17:00:00Z'))).toBe('2025-10-01');
      });
    });
  });

  describe('bad input', () => {
    it.each(['2025-02-30', '2025-13-01', '2025/09/30', '2025-9-30', '', 'tomorrow', '0099-01-01'])(
      'refuses the day %j with a RangeError',
      (day) => {
        expect(() => calendar.isWorkingDay(day)).toThrow(RangeError);
        expect(() => calendar.isWorkingDay(day)).toThrow(/day must be .*YYYY-MM-DD/);
      },
    );

    it('refuses an invalid Date', () => {
      expect(() => calendar.nextWorkingDay(new Date('nope'))).toThrow(/got Invalid Date/);
    });

    it('names the argument that is wrong', () => {
      expect(() => calendar.workingDaysBetween('2025-09-30', '2025-09-31')).toThrow(/^b must be/);
    });

    it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses n = %s', (n) => {
      expect(() => calendar.addWorkingDays('2025-09-30', n)).toThrow(RangeError);
    });
  });

  describe('the official schedule', () => {
    it('covers 2004 through at least 2026', () => {
      expect(OFFICIAL_SCHEDULE_YEARS.first).toBe(2004);
      expect(OFFICIAL_SCHEDULE_YEARS.last).toBeGreaterThanOrEqual(2026);
    });

    it('falls back to Monday-Friday after the last year it knows', () => {
      const year = OFFICIAL_SCHEDULE_YEARS.last + 1;
      const jan = [...Array(14).keys()].map((i) => `${year}-01-${String(i + 1).padStart(2, '0')}`);
      const working = jan.filter((day) => calendar.isWorkingDay(day));
      expect(working).toHaveLength(10);
    });

    // chinese-days' own isWorkday() is only right on hosts at or east of UTC; there it must
    // agree with the data file this module reads.
    it.runIf(new Date().getTimezoneOffset() <= 0)('agrees with chinese-days for 2024-2026', () => {
      const disagreements: string[] = [];
      for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
        const day = new Date(t).toISOString().slice(0, 10);
        if (calendar.isWorkingDay(day) !== chineseDays.isWorkday(day)) disagreements.push(day);
      }
      expect(disagreements).toEqual([]);
    });
  });
});
