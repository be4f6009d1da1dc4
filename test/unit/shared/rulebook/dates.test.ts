import { daysInMonth, formatDate, hasReachedAge, isLeapYear, isRealDate, parseIsoDate } from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('calendar dates', () => {
  it('leap years follow the Gregorian rule', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it('agrees with Date.UTC on what a real date is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const date = new Date(Date.UTC(2000, m - 1, d));
          date.setUTCFullYear(y);
          const real = m >= 1 && m <= 12 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
          expect(isRealDate(y, m, d)).toBe(real);
        },
      ),
    );
    expect(isRealDate(2020, 1.5, 1)).toBe(false);
    expect(isRealDate(0, 1, 1)).toBe(false);
  });

  it('parses YYYY-MM-DD', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2023-02-29')).toBe('date');
    expect(parseIsoDate('2023-2-1')).toBe('format');
    expect(formatDate(987, 3, 4)).toBe('0987-03-04');
  });

  it('reaching an age', () => {
    expect(hasReachedAge('2008-11-28', 18, '2026-11-28')).toBe(true);
    expect(hasReachedAge('2008-11-29', 18, '2026-11-28')).toBe(false);
    expect(hasReachedAge('2008-02-29', 18, '2026-02-28')).toBe(false);
    expect(hasReachedAge('2008-02-29', 18, '2026-03-01')).toBe(true);
    expect(hasReachedAge('2008-02-29', 16, '2024-02-29')).toBe(true);
    expect(hasReachedAge('not a date', 0, '2026-01-01')).toBe(false);
  });
});
