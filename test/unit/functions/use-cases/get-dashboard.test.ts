import { addDays, getDashboard, projectGoalDate } from '@ocs/functions/use-cases/get-dashboard';
import { minimumSignatories } from '@ocs/shared';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import type { DayCounts } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeInitiativeStore, FakeProgressStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

/** Today in these tests: 2026-11-28 (Brussels); the full days before it are 21-27 November. */
const TODAY = '2026-11-28';
const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
const T = Object.fromEntries(MEMBER_STATES.map((c) => [c, minimumSignatories(c, '2026-09-15')])) as Record<
  MemberStateCode,
  number
>;
const SMALL: MemberStateCode[] = ['MT', 'LU', 'CY', 'EE', 'SI', 'LV', 'LT'];
const week = (counts: Partial<Record<MemberStateCode, number>>): DayCounts[] =>
  Array.from({ length: 7 }, (_, i) => ({ date: addDays('2026-11-21', i), counts }));
const project = (days: DayCounts[], collectionEnd = '2027-10-31') =>
  projectGoalDate({ days, thresholds: T, today: TODAY, collectionEnd });

describe('projectGoalDate', () => {
  it('is null without any statement', () => {
    expect(project([])).toBeNull();
  });

  it('is the day the goal was met, once it was (1,000,000 and 7 Member States at their threshold)', () => {
    const atThreshold = Object.fromEntries(SMALL.map((c) => [c, T[c]]));
    const days: DayCounts[] = [
      { date: '2026-11-02', counts: { ...atThreshold, DE: 500_000 } },
      { date: '2026-11-09', counts: { DE: 499_999 } },
      { date: '2026-11-10', counts: { FR: 1 } },
      { date: '2026-11-11', counts: { FR: 5 } },
    ];
    // Seven Member States at their threshold from 2 November; the total passes 1,000,000 on the 9th.
    expect(project(days)).toBe('2026-11-09');
  });

  it('projects from the Member States: the seventh to reach its threshold at its own rate (countries bound)', () => {
    // DE already has 1,000,000 (and its threshold); six more countries gain 100 a day and miss
    // 100 x 10, 20, ..., 60 days' worth: the sixth of them arrives in 60 days.
    const behind: MemberStateCode[] = ['FR', 'IT', 'ES', 'PL', 'NL', 'BE'];
    const start: Partial<Record<MemberStateCode, number>> = { DE: 1_000_000 };
    behind.forEach((c, i) => {
      start[c] = T[c] - 100 * 10 * (i + 1) - 700;
    });
    const days = [
      { date: '2026-11-01', counts: start },
      ...week(Object.fromEntries(behind.map((c) => [c, 100]))),
    ];

    expect(project(days)).toBe(addDays(TODAY, 60));
    expect(addDays(TODAY, 60)).toBe('2027-01-27');
  });

  it('projects from the total when the Member States are there already (total bound)', () => {
    const atThreshold = Object.fromEntries(SMALL.map((c) => [c, T[c]]));
    const sum = SMALL.reduce((n, c) => n + T[c], 0);
    const days = [
      { date: '2026-11-01', counts: { ...atThreshold, DE: 430_000 - sum } },
      ...week({ DE: 10_000 }),
    ];

    // 500,000 missing at 10,000 a day: 50 days.
    expect(project(days)).toBe('2027-01-17');
  });

  it('takes the later of the two', () => {
    const atThreshold = Object.fromEntries(SMALL.slice(0, 6).map((c) => [c, T[c]]));
    const days = [
      { date: '2026-11-01', counts: { ...atThreshold, DE: 100_000, FR: T.FR - 7_000 - 1_000 } },
      // FR arrives in 1 day; the total (a million minus ~200,000) takes far longer at ~11,000 a day.
      ...week({ DE: 10_000, FR: 1_000 }),
    ];
    const total = days.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + (b ?? 0), 0), 0);

    expect(project(days)).toBe(addDays(TODAY, Math.ceil((1_000_000 - total) / 11_000)));
  });

  it('uses only the days since the first statement when it is less than a week old', () => {
    const atThreshold = Object.fromEntries(SMALL.map((c) => [c, T[c]]));
    const sum = SMALL.reduce((n, c) => n + T[c], 0);
    const days = [
      { date: '2026-11-26', counts: { ...atThreshold, DE: 500_000 - sum } },
      { date: '2026-11-27', counts: { DE: 0 } },
    ];

    // 500,000 over 2 full days: 250,000 a day; 500,000 missing: 2 days.
    expect(project(days)).toBe('2026-11-30');
  });

  it("uses today's counts when every statement is from today", () => {
    const atThreshold = Object.fromEntries(SMALL.map((c) => [c, T[c]]));
    const sum = SMALL.reduce((n, c) => n + T[c], 0);

    expect(project([{ date: TODAY, counts: { ...atThreshold, DE: 250_000 - sum } }])).toBe('2026-12-01');
  });

  it('is null when nothing came in during the last week', () => {
    expect(project([{ date: '2026-10-01', counts: { DE: 500_000 } }])).toBeNull();
  });

  it('is null when fewer than seven Member States have a rate', () => {
    expect(project(week({ DE: 100_000, FR: 100_000 }))).toBeNull();
  });

  it('is null when the projected day is after the end of the collection', () => {
    const days = week(Object.fromEntries(MEMBER_STATES.map((c) => [c, 10])));
    expect(project(days, '2027-10-31')).toBeNull();
  });
});

describe('getDashboard', () => {
  it('lists all 27 Member States, zero counts included, the daily counts from the first day to today, zeros included', async () => {
    const progress = new FakeProgressStore()
      .add('test', '2026-11-25', { PL: 2, DE: 1 })
      .add('test', '2026-11-27', { PL: 1 })
      .add('live', '2026-11-28', { FR: 9 });

    const dashboard = await getDashboard({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress,
      clock,
    });

    expect(Object.keys(dashboard.byCountry).sort()).toEqual([...MEMBER_STATES].sort());
    expect(dashboard.byCountry).toMatchObject({ PL: 3, DE: 1, FR: 0, MT: 0 });
    expect(dashboard.total).toBe(4);
    expect(dashboard.countriesAtThreshold).toBe(0);
    expect(dashboard.daily).toEqual([
      { date: '2026-11-25', count: 3 },
      { date: '2026-11-26', count: 0 },
      { date: '2026-11-27', count: 1 },
      { date: '2026-11-28', count: 0 },
    ]);
    expect(dashboard.projectedGoalDate).toBeNull();
  });

  it('counts the live statements once live, with the Member States at their threshold', async () => {
    const progress = new FakeProgressStore()
      .add('test', '2026-11-25', { PL: 2 })
      .add('live', '2026-11-28', { MT: T.MT, LU: T.LU - 1 });

    const dashboard = await getDashboard({
      initiatives: new FakeInitiativeStore(testInitiative(), { mode: 'live' }),
      progress,
      clock,
    });

    expect(dashboard.total).toBe(T.MT + T.LU - 1);
    expect(dashboard.byCountry.PL).toBe(0);
    expect(dashboard.countriesAtThreshold).toBe(1);
    expect(dashboard.daily).toEqual([{ date: '2026-11-28', count: T.MT + T.LU - 1 }]);
  });

  it('answers an empty dashboard before the first statement', async () => {
    const dashboard = await getDashboard({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress: new FakeProgressStore(),
      clock,
    });

    expect(dashboard).toMatchObject({
      total: 0,
      countriesAtThreshold: 0,
      daily: [],
      projectedGoalDate: null,
    });
  });

  it('fails as not configured without an initiative', async () => {
    await expect(
      getDashboard({
        initiatives: new FakeInitiativeStore(undefined),
        progress: new FakeProgressStore(),
        clock,
      }),
    ).rejects.toBeInstanceOf(InitiativeNotConfiguredError);
  });
});
