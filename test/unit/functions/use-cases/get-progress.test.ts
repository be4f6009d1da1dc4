import { getProgress } from '@ocs/functions/use-cases/get-progress';
import { minimumSignatories } from '@ocs/shared';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import type { CountryCounts } from '@ocs/shared/ports';
import { MEMBER_STATES } from '@ocs/shared/statement';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeInitiativeStore, FakeProgressStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

/** Counts of the live mode only: a test of which mode is read sees zeros for the other. */
const progressStore = (counts: CountryCounts, mode: 'test' | 'live' = 'test') =>
  new FakeProgressStore().add(mode, '2026-11-28', counts);
const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));

describe('getProgress', () => {
  it('lists all 27 Member States, zero counts included, with EL for Greece', async () => {
    const progress = await getProgress({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress: progressStore({}),
      clock,
    });

    expect(Object.keys(progress.countries)).toHaveLength(27);
    expect(Object.keys(progress.countries).sort()).toEqual([...MEMBER_STATES].sort());
    expect(progress.countries.EL).toEqual({ count: 0, threshold: expect.any(Number) });
    expect(Object.values(progress.countries).every((c) => c.count === 0)).toBe(true);
    expect(progress.total).toBe(0);
    expect(progress.countriesAtThreshold).toBe(0);
  });

  it('uses the Annex I thresholds (720 MEPs x 720 since 2024-05-02)', async () => {
    const progress = await getProgress({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress: progressStore({}),
      clock,
    });

    expect(progress.countries.DE.threshold).toBe(69_120);
    expect(progress.countries.FR.threshold).toBe(58_320);
    expect(progress.countries.PL.threshold).toBe(38_160);
    expect(progress.countries.MT.threshold).toBe(4_320);
    for (const code of MEMBER_STATES) {
      expect(progress.countries[code].threshold).toBe(minimumSignatories(code, '2026-09-15'));
    }
  });

  it('sums the total and counts countries at or above their threshold', async () => {
    const progress = await getProgress({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress: progressStore({ MT: 4_320, DE: 69_119, PL: 40_000, LU: 3 }),
      clock,
    });

    expect(progress.total).toBe(4_320 + 69_119 + 40_000 + 3);
    expect(progress.countriesAtThreshold).toBe(2);
    expect(progress.countries.DE).toEqual({ count: 69_119, threshold: 69_120 });
    expect(progress.countries.LU.count).toBe(3);
  });

  it('counts the test statements in test mode and the live ones once live', async () => {
    const progress = new FakeProgressStore()
      .add('test', '2026-11-27', { PL: 2 })
      .add('live', '2026-11-28', { DE: 5 });
    const initiatives = new FakeInitiativeStore(testInitiative());

    const inTest = await getProgress({ initiatives, progress, clock });
    initiatives.lifecycle = { mode: 'live' };
    const live = await getProgress({ initiatives, progress, clock });

    expect(inTest.total).toBe(2);
    expect(inTest.countries.PL.count).toBe(2);
    expect(live.total).toBe(5);
    expect(live.countries.PL.count).toBe(0);
  });

  it('stamps the time it was computed', async () => {
    const progress = await getProgress({
      initiatives: new FakeInitiativeStore(testInitiative()),
      progress: progressStore({}),
      clock,
    });

    expect(progress.updatedAt).toBe('2026-11-28T10:00:00.000Z');
  });

  it('fails with InitiativeNotConfiguredError without an initiative', async () => {
    await expect(
      getProgress({ initiatives: new FakeInitiativeStore(undefined), progress: progressStore({}), clock }),
    ).rejects.toBeInstanceOf(InitiativeNotConfiguredError);
  });
});
