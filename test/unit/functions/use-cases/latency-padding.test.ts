import { LatencyPadding, PADDING_DEFAULT_MS } from '@ocs/functions/use-cases/latency-padding';
import { describe, expect, it } from 'vitest';

/** A padding over a hand-moved monotonic clock; the fake sleeper moves it too, without waiting. */
function padding(options: { window?: number; maxMs?: number } = {}) {
  const clock = { ms: 0, sleeps: [] as number[] };
  const pad = new LatencyPadding({
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
    },
    ...options,
  });
  /** An accepted statement whose write took `ms`. */
  const accepted = (ms: number) => {
    const start = pad.start();
    clock.ms += ms;
    pad.recordAccepted(start);
  };
  /** A duplicate whose put takes `ms`, held by the padding; resolves with the write step's duration. */
  const duplicate = async (ms: number) => {
    const start = clock.ms;
    await pad.hold(async () => {
      clock.ms += ms;
      return 'kept';
    });
    return clock.ms - start;
  };
  return { clock, pad, accepted, duplicate };
}

describe('LatencyPadding', () => {
  it('takes the default for the typical accepted write before any was measured', () => {
    const { pad } = padding();

    expect(pad.typicalAccepted()).toBe(PADDING_DEFAULT_MS);
  });

  it('takes the median of the recent accepted writes as typical', () => {
    const { pad, accepted } = padding();
    for (const ms of [12, 40, 25]) accepted(ms);

    expect(pad.typicalAccepted()).toBe(25);
  });

  it('keeps only the most recent writes', () => {
    const { pad, accepted } = padding({ window: 2 });
    for (const ms of [100, 10, 20]) accepted(ms);

    expect(pad.typicalAccepted()).toBe(15);
  });

  it('holds a duplicate put the difference between the typical transaction and the typical put', async () => {
    const { clock, accepted, duplicate } = padding();
    for (const ms of [20, 25, 30]) accepted(ms);

    const first = await duplicate(5);
    const second = await duplicate(5);
    // A slower put (a load spike) keeps its extra time, as a transaction at that moment would.
    const third = await duplicate(11);

    expect(clock.sleeps).toEqual([20, 20, 20]);
    expect([first, second, third]).toEqual([25, 25, 31]);
  });

  it('pads a first duplicate to the default before any acceptance', async () => {
    const { duplicate } = padding();

    expect(await duplicate(4)).toBe(PADDING_DEFAULT_MS);
  });

  it('does not wait when the typical put is as slow as the typical transaction', async () => {
    const { clock, accepted, duplicate } = padding();
    accepted(10);

    await duplicate(12);

    expect(clock.sleeps).toEqual([]);
  });

  it('caps a wait, so an outlier never stalls duplicates', async () => {
    const { clock, accepted, duplicate } = padding({ maxMs: 500 });
    accepted(4_000);

    await duplicate(1);

    expect(clock.sleeps).toEqual([500]);
  });

  it('passes a failed write on at once, without waiting', async () => {
    const { clock, pad } = padding();
    const failure = new Error('put failed');

    await expect(pad.hold(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for real with the default sleeper', async () => {
    const pad = new LatencyPadding({ defaultMs: 25 });

    const t0 = performance.now();
    await pad.hold(async () => 'kept');

    // Node's timers run on the event loop's millisecond clock and may fire a little early.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
  });
});
