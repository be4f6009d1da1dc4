import { describe, expect, it } from 'vitest';
import { dailyChart, niceCeiling } from '../../../../web/src/lib/console/chart.ts';
import { dailyRate, daysUntil, formatCountdown, goalOutlook } from '../../../../web/src/lib/console/time.ts';

/** The dashboard's projection and countdowns, and the daily chart's geometry. */

describe('daysUntil', () => {
  it('counts calendar days in Brussels', () => {
    const noon = new Date('2027-03-10T12:00:00Z');
    expect(daysUntil('2027-03-10', noon)).toBe(0);
    expect(daysUntil('2027-03-11', noon)).toBe(1);
    expect(daysUntil('2027-03-01', noon)).toBe(-9);
    expect(daysUntil('2028-03-10', noon)).toBe(366);
  });

  it('is already the next day in Brussels at 23:30 UTC', () => {
    expect(daysUntil('2027-03-11', new Date('2027-03-10T23:30:00Z'))).toBe(0);
  });
});

describe('formatCountdown', () => {
  it('speaks the console language', () => {
    expect(formatCountdown('en', 42)).toBe('in 42 days');
    expect(formatCountdown('en', 0)).toBe('today');
    expect(formatCountdown('en', -3)).toBe('3 days ago');
    expect(formatCountdown('fr', 42)).toBe('dans 42 jours');
    expect(formatCountdown('de', 1)).toBe('morgen');
  });
});

describe('dailyRate', () => {
  it('averages the last seven days, missing days counting as zero', () => {
    const daily = [
      { date: '2027-03-01', count: 1000 },
      { date: '2027-03-04', count: 70 },
      { date: '2027-03-10', count: 140 },
    ];
    // 4 to 10 March: 70 + 140 over 7 days; 1 to 10 March: 1210 over 10.
    expect(dailyRate(daily)).toBe(30);
    expect(dailyRate(daily, 10)).toBe(121);
    expect(dailyRate([])).toBe(0);
  });
});

describe('goalOutlook', () => {
  const now = new Date('2027-03-10T12:00:00Z');
  it('is reached at one million, projected with a date, unknown without one', () => {
    expect(goalOutlook(1_000_000, null, now)).toEqual({ kind: 'reached' });
    expect(goalOutlook(5, '2027-04-09', now)).toEqual({ kind: 'projected', date: '2027-04-09', days: 30 });
    expect(goalOutlook(5, null, now)).toEqual({ kind: 'unknown' });
  });
});

describe('the daily chart', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 5001].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 10_000]);
  });

  it('draws one bar a day, scaled to the axis, inside the plot', () => {
    const chart = dailyChart(
      [
        { date: '2027-03-01', count: 0 },
        { date: '2027-03-02', count: 5 },
        { date: '2027-03-03', count: 10 },
      ],
      640,
      220,
    );
    expect(chart.max).toBe(10);
    expect(chart.bars).toHaveLength(3);
    const [first, second, third] = chart.bars;
    expect(first?.height).toBe(0);
    expect(third?.y).toBe(chart.plot.top);
    expect(second?.height).toBeCloseTo((chart.plot.bottom - chart.plot.top) / 2);
    for (const bar of chart.bars) {
      expect(bar.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(bar.x + bar.width).toBeLessThanOrEqual(chart.plot.right);
    }
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 5, 10]);
  });

  it('has no bars without data', () => {
    expect(dailyChart([]).bars).toEqual([]);
  });
});
