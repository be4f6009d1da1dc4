import { LatencyPadding, PADDING_DEFAULT_MS } from '@ocs/functions/use-cases/latency-padding';
import { describe, expect, it } from 'vitest';

/** A padding over a hand-moved monotonic clock; the fake sleeper moves it too, without waiting. */
function padding(options: { random?: () => number; window?: number; maxMs?: number } = {}) {
  const clock = { ms: 0, sleeps: [] as number[] };
  const pad = new LatencyPadding({
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
    },
    ...options,
  });
  /** An accepted statement that took `ms`. */
  const accepted = (ms: number) => {
    const start = pad.start();
    clock.ms += ms;
    pad.recordAccepted(start);
  };
  return { clock, pad, accepted };
}

describe('LatencyPadding', () => {
  it('targets the default before any accepted duration is known', () => {
    const { pad } = padding();

    expect(pad.target()).toBe(PADDING_DEFAULT_MS);
  });

  it('draws the target from the recent accepted durations, so duplicates follow their spread', () => {
    let r = 0;
    const { pad, accepted } = padding({ random: () => r });
    for (const ms of [12, 40, 25]) accepted(ms);

    const targets = [0, 0.34, 0.67, 0.999].map((value) => {
      r = value;
      return pad.target();
    });

    expect(targets).toEqual([12, 40, 25, 25]);
  });

  it('keeps only the most recent durations', () => {
    let r = 0;
    const { pad, accepted } = padding({ random: () => r, window: 2 });
    for (const ms of [100, 10, 20]) accepted(ms);

    const seen = new Set(
      [0, 0.5, 0.99].map((value) => {
        r = value;
        return pad.target();
      }),
    );

    expect(seen).toEqual(new Set([10, 20]));
  });

  it('caps the target, so an outlier never stalls duplicates', () => {
    const { pad, accepted } = padding({ random: () => 0, maxMs: 500 });
    accepted(4_000);

    expect(pad.target()).toBe(500);
  });

  it('sleeps only the time the duplicate has not spent yet', async () => {
    const { clock, pad, accepted } = padding({ random: () => 0 });
    accepted(30);
    const start = pad.start();
    clock.ms += 8;

    await pad.padDuplicate(start);

    expect(clock.sleeps).toEqual([22]);
    expect(clock.ms - start).toBe(30);
  });

  it('does not sleep when the duplicate already took as long', async () => {
    const { clock, pad, accepted } = padding({ random: () => 0 });
    accepted(30);
    const start = pad.start();
    clock.ms += 31;

    await pad.padDuplicate(start);

    expect(clock.sleeps).toEqual([]);
  });

  it('sleeps for real with the default sleeper', async () => {
    const pad = new LatencyPadding({ defaultMs: 25 });
    const start = pad.start();

    await pad.padDuplicate(start);

    expect(performance.now() - start).toBeGreaterThanOrEqual(24);
  });
});
