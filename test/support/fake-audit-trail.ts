import {
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  nextEntry,
} from '@ocs/shared/audit';
import type {
  AuditListOptions,
  AuditTrail,
  Clock,
  SignInMarkerStore,
  SignInMarkerTimes,
} from '@ocs/shared/ports';

/**
 * An in-memory audit trail with the real chaining (`nextEntry`), for use-case and handler unit
 * tests. Appends are serialised like the conditional puts of the DynamoDB adapter. `failNext`
 * queues failures for the next appends.
 */
export class FakeAuditTrail implements AuditTrail {
  readonly entries: AuditEntry[] = [];
  private readonly failures: unknown[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  failNext(error: unknown): void {
    this.failures.push(error);
  }

  append(actor: AuditActor, action: AuditAction, details: AuditDetails): Promise<AuditEntry> {
    const appended = this.tail.then(async () => {
      if (this.failures.length > 0) throw this.failures.shift();
      const entry = await nextEntry(this.entries.at(-1), {
        at: this.clock.now().toISOString(),
        actor,
        action,
        details,
      });
      this.entries.push(entry);
      return entry;
    });
    this.tail = appended.catch(() => undefined);
    return appended;
  }

  async list(options: AuditListOptions = {}): Promise<readonly AuditEntry[]> {
    const after = this.entries.filter((e) => e.seq > (options.after ?? 0));
    return options.limit === undefined ? after : after.slice(0, options.limit);
  }

  async head(): Promise<AuditEntry | undefined> {
    return this.entries.at(-1);
  }
}

/** Sign-in markers in a map, with the semantics of the DynamoDB adapter's conditional puts. */
export class FakeSignInMarkerStore implements SignInMarkerStore {
  readonly markers = new Map<string, { heldUntil: number; recorded: boolean; expiresAt: number }>();
  releases = 0;
  confirmations = 0;

  async claim(sub: string, session: string, times: SignInMarkerTimes): Promise<boolean> {
    const key = `${sub}\u0000${session}`;
    const existing = this.markers.get(key);
    if (existing && (existing.recorded || existing.heldUntil >= times.now)) return false;
    this.markers.set(key, { heldUntil: times.holdUntil, recorded: false, expiresAt: times.expiresAt });
    return true;
  }

  async confirm(sub: string, session: string, expiresAt: number): Promise<void> {
    this.confirmations += 1;
    this.markers.set(`${sub}\u0000${session}`, { heldUntil: 0, recorded: true, expiresAt });
  }

  async release(sub: string, session: string, expiresAt: number): Promise<void> {
    this.releases += 1;
    this.markers.set(`${sub}\u0000${session}`, { heldUntil: 0, recorded: false, expiresAt });
  }
}
