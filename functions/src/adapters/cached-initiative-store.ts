import type { Initiative } from '@ocs/shared/initiative';
import type { Clock, InitiativeStore } from '@ocs/shared/ports';

/**
 * Keeps the initiative in memory for a few seconds: every submission needs it (is collection
 * open?) and it changes rarely. An organiser's switch takes effect within `ttlMs`.
 */
export class CachedInitiativeStore implements InitiativeStore {
  private cached: { value: Initiative | undefined; at: number } | undefined;
  private inflight: Promise<Initiative | undefined> | undefined;

  constructor(
    private readonly inner: InitiativeStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async get(): Promise<Initiative | undefined> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.value;
    this.inflight ??= this.inner
      .get()
      .then((value) => {
        this.cached = { value, at: this.clock.now().getTime() };
        return value;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    this.cached = undefined;
    return this.inner.createIfAbsent(initiative);
  }
}
