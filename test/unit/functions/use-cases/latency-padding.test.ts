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

  it('holds a duplicate write alongside a wait of the drawn target', async () => {
    const { clock, pad, accepted } = padding({ random: () => 0 });
    accepted(30);
    const start = clock.ms;

    const result = await pad.hold(Promise.resolve('kept'));

    expect(result).toBe('kept');
    expect(clock.sleeps).toEqual([30]);
    expect(clock.ms - start).toBe(30);
  });

  it('passes a failed write on at once', async () => {
    const { pad } = padding();
    const failure = new Error('put failed');

    await expect(pad.hold(Promise.reject(failure))).rejects.toBe(failure);
  });

  it('waits for real with the default sleeper, and as long as the write when that is longer', async () => {
    const pad = new LatencyPadding({ defaultMs: 25 });
    const t0 = performance.now();
    await pad.hold(Promise.resolve());
    const t1 = performance.now();
    await pad.hold(new Promise((resolve) => setTimeout(resolve, 60)));
    const t2 = performance.now();

    expect(t1 - t0).toBeGreaterThanOrEqual(24);
    expect(t2 - t1).toBeGreaterThanOrEqual(59);
  });
});
