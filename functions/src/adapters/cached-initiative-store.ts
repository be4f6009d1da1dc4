import type { Initiative, InitiativeState } from '@ocs/shared/initiative';
import type { Clock, InitiativeStore } from '@ocs/shared/ports';

/**
 * Keeps the initiative item in memory for a few seconds: every submission needs it (is collection
 * open? test or live?) and it changes rarely. An organiser's switch takes effect within `ttlMs`;
 * a caller that learns the item changed (a test statement refused after go-live) asks for a
 * `fresh` read.
 */
export class CachedInitiativeStore implements InitiativeStore {
  private cached: { value: InitiativeState | undefined; at: number } | undefined;
  private inflight: Promise<InitiativeState | undefined> | undefined;
  private generation = 0;

  constructor(
    private readonly inner: InitiativeStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async get(): Promise<Initiative | undefined> {
    return (await this.state())?.initiative;
  }

  async state(options: { readonly fresh?: boolean } = {}): Promise<InitiativeState | undefined> {
    const now = this.clock.now().getTime();
    if (!options.fresh && this.cached && now - this.cached.at < this.ttlMs) return this.cached.value;
    // Concurrent callers share one read; a fresh one never joins a read that began before it.
    if (options.fresh || !this.inflight) this.inflight = this.load();
    return this.inflight;
  }

  private load(): Promise<InitiativeState | undefined> {
    // Only the latest read fills the cache: an older one finishing later holds older data.
    const generation = ++this.generation;
    const read: Promise<InitiativeState | undefined> = this.inner
      .state({ fresh: true })
      .then((value) => {
        if (generation === this.generation) this.cached = { value, at: this.clock.now().getTime() };
        return value;
      })
      .finally(() => {
        if (this.inflight === read) this.inflight = undefined;
      });
    return read;
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    this.cached = undefined;
    return this.inner.createIfAbsent(initiative);
  }
}
