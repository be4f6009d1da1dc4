import { IntakeTally, TALLY_MIN_ANSWERS, TALLY_PERIOD_MS } from '@ocs/functions/use-cases/intake-tally';
import { describe, expect, it } from 'vitest';

function tally(options: { periodMs?: number; minAnswers?: number } = {}) {
  const clock = { ms: 0 };
  const emitted: unknown[] = [];
  const t = new IntakeTally({ emit: (counts) => emitted.push(counts), now: () => clock.ms, ...options });
  return { clock, emitted, t };
}

describe('IntakeTally', () => {
  it('emits nothing when a submission is counted: only a later arrival may emit', () => {
    const { clock, emitted, t } = tally({ periodMs: 1_000, minAnswers: 1 });
    clock.ms = 5_000;

    t.count('duplicate');

    expect(emitted).toEqual([]);
  });

  it('emits the aggregate of earlier submissions once the period is over, then starts a new one', () => {
    const { clock, emitted, t } = tally({ periodMs: 60_000, minAnswers: 3 });
    t.count('accepted');
    t.count('duplicate');
    t.count('accepted');
    clock.ms = 59_999;
    t.arrived();
    expect(emitted).toEqual([]);

    clock.ms = 61_000;
    t.arrived();
    t.arrived();

    expect(emitted).toEqual([{ accepted: 2, duplicates: 1, periodSeconds: 61 }]);
  });

  it('holds a period back until it has enough answers that no request stands out', () => {
    const { clock, emitted, t } = tally({ periodMs: 1_000, minAnswers: 3 });
    t.count('duplicate');
    clock.ms = 10_000;
    t.arrived();
    expect(emitted).toEqual([]);

    t.count('accepted');
    t.count('accepted');
    clock.ms = 20_000;
    t.arrived();

    expect(emitted).toEqual([{ accepted: 2, duplicates: 1, periodSeconds: 20 }]);
  });

  it('defaults to periods of at least 5 minutes and at least 20 answers', () => {
    expect(TALLY_PERIOD_MS).toBeGreaterThanOrEqual(5 * 60_000);
    expect(TALLY_MIN_ANSWERS).toBeGreaterThanOrEqual(20);
    const { clock, emitted, t } = tally();
    for (let i = 0; i < TALLY_MIN_ANSWERS; i++) t.count('accepted');
    clock.ms = TALLY_PERIOD_MS - 1;
    t.arrived();
    expect(emitted).toEqual([]);
    clock.ms = TALLY_PERIOD_MS;
    t.arrived();
    expect(emitted).toHaveLength(1);
  });
});
