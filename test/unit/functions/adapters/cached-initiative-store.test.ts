import { CachedInitiativeStore } from '@ocs/functions/adapters/cached-initiative-store';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { deferred, FakeInitiativeStore, flush } from '../../../support/fakes';
import { testInitiative } from '../support/data';

describe('CachedInitiativeStore', () => {
  it('serves the cached initiative for 5 seconds, then reads again', async () => {
    const inner = new FakeInitiativeStore(testInitiative());
    const clock = new ManualClock();
    const cached = new CachedInitiativeStore(inner, clock);

    await cached.get();
    clock.advance(4_999);
    await cached.get();
    const readsWithinTtl = inner.getCalls;
    clock.advance(1);
    await cached.get();

    expect(readsWithinTtl).toBe(1);
    expect(inner.getCalls).toBe(2);
  });

  it('lets an organiser switch take effect after the ttl', async () => {
    const inner = new FakeInitiativeStore(testInitiative());
    const clock = new ManualClock();
    const cached = new CachedInitiativeStore(inner, clock, 1_000);
    await cached.get();

    inner.value = testInitiative({ enabled: false });
    const stale = await cached.get();
    clock.advance(1_000);
    const fresh = await cached.get();

    expect(stale?.collection.enabled).toBe(true);
    expect(fresh?.collection.enabled).toBe(false);
  });

  it('caches "not configured" too', async () => {
    const inner = new FakeInitiativeStore(undefined);
    const cached = new CachedInitiativeStore(inner, new ManualClock());

    expect(await cached.get()).toBeUndefined();
    expect(await cached.get()).toBeUndefined();
    expect(inner.getCalls).toBe(1);
  });

  it('shares one read between concurrent callers', async () => {
    const gate = deferred();
    const inner = new FakeInitiativeStore(testInitiative());
    const slow = {
      get: () => inner.get(),
      state: async () => {
        await gate.promise;
        return inner.state();
      },
      createIfAbsent: inner.createIfAbsent.bind(inner),
    };
    const cached = new CachedInitiativeStore(slow, new ManualClock());

    const pending = Promise.all([cached.get(), cached.get(), cached.get()]);
    await flush();
    gate.resolve();
    const results = await pending;

    expect(inner.getCalls).toBe(1);
    expect(results.every((r) => r?.id === 'clean-rivers')).toBe(true);
  });

  it('does not cache a failed read', async () => {
    const inner = new FakeInitiativeStore(testInitiative());
    let fail = true;
    const flaky = {
      get: () => inner.get(),
      state: async () => {
        if (fail) throw new Error('database down');
        return inner.state();
      },
      createIfAbsent: inner.createIfAbsent.bind(inner),
    };
    const cached = new CachedInitiativeStore(flaky, new ManualClock());

    await expect(cached.get()).rejects.toThrow('database down');
    fail = false;

    expect((await cached.get())?.id).toBe('clean-rivers');
  });

  it('caches the whole item (mode included) and reads past the cache when asked for a fresh value', async () => {
    const inner = new FakeInitiativeStore(testInitiative());
    const cached = new CachedInitiativeStore(inner, new ManualClock());
    expect((await cached.state())?.lifecycle.mode).toBe('test');

    inner.lifecycle = { mode: 'live', liveSince: '2026-11-28T10:00:00.000Z' };
    const stale = await cached.state();
    const fresh = await cached.state({ fresh: true });
    const after = await cached.state();

    expect(stale?.lifecycle.mode).toBe('test');
    expect(fresh?.lifecycle).toEqual({ mode: 'live', liveSince: '2026-11-28T10:00:00.000Z' });
    expect(after?.lifecycle.mode).toBe('live');
    expect(inner.getCalls).toBe(2);
  });

  it('does not let a fresh read join a read that began before it', async () => {
    const gate = deferred();
    const inner = new FakeInitiativeStore(testInitiative());
    let calls = 0;
    const slowFirst = {
      get: () => inner.get(),
      state: async () => {
        calls += 1;
        const snapshot = await inner.state();
        if (calls === 1) await gate.promise;
        return snapshot;
      },
      createIfAbsent: inner.createIfAbsent.bind(inner),
    };
    const cached = new CachedInitiativeStore(slowFirst, new ManualClock());

    const before = cached.state();
    await flush();
    inner.lifecycle = { mode: 'live' };
    const fresh = await cached.state({ fresh: true });
    gate.resolve();

    expect((await before)?.lifecycle.mode).toBe('test');
    expect(fresh?.lifecycle.mode).toBe('live');
    // The older read, finishing last, did not put its older value in the cache.
    expect((await cached.state())?.lifecycle.mode).toBe('live');
  });

  it('forgets the cached value when it creates the initiative', async () => {
    const inner = new FakeInitiativeStore(undefined);
    const cached = new CachedInitiativeStore(inner, new ManualClock());
    await cached.get();

    const created = await cached.createIfAbsent(testInitiative());

    expect(created).toBe(true);
    expect((await cached.get())?.id).toBe('clean-rivers');
  });
});
