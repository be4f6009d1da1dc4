import { SYSTEM_ACTOR } from '@ocs/shared/audit';
import { DependencyUnavailableError, InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { brusselsDate } from '@ocs/shared/initiative';
import type { AuditTrail, Clock, InitiativeStore } from '@ocs/shared/ports';
import {
  type DestroyedCounts,
  type DestructionCertificate,
  type DestructionRule,
  type DestructionRun,
  destructionDeadlineOf,
  type ExportFileStore,
  type PersonalDataTable,
  type RetentionRecord,
  type RetentionStore,
  type StatementKeyDestroyer,
  type VersionedRetentionRecord,
} from '@ocs/shared/retention';
import { recordAction } from './audit';

export interface RunRetentionDeps {
  readonly initiatives: InitiativeStore;
  readonly store: RetentionStore;
  readonly table: PersonalDataTable;
  readonly exportFiles: ExportFileStore;
  readonly key: StatementKeyDestroyer;
  readonly trail: AuditTrail;
  /** The system clock in production; tests inject one. */
  readonly clock: Clock;
  readonly newId: () => string;
  /** How long one run holds the job (longer than any run: the Lambda function's 15 minutes). */
  readonly leaseMs?: number;
}

export interface RunRetentionOptions {
  /**
   * Asked between batches: true stops the run there, its progress saved, for the next run to
   * resume (the Lambda function passes its remaining time).
   */
  readonly shouldStop?: () => boolean;
}

export type RetentionOutcome =
  /** Before the deadline: nothing deleted; the run is recorded. */
  | { readonly status: 'not_due'; readonly deadline: string; readonly rule: DestructionRule }
  /** Another run holds the job. */
  | { readonly status: 'busy' }
  /** Stopped between batches (`shouldStop`); the next run resumes. */
  | { readonly status: 'incomplete'; readonly counts: DestroyedCounts }
  /**
   * Everything personal is gone and the statement key is destroyed. `certificate` is the one this
   * run appended, or null when it found nothing that a certificate counts (a run after the
   * destruction, normally).
   */
  | {
      readonly status: 'destroyed';
      readonly deadline: string;
      readonly certificate: DestructionCertificate | null;
      readonly counts: DestroyedCounts;
      readonly keyDestruction: { readonly at: string; readonly deletionDate: string };
    };

/** One run's hold on the job: longer than the Lambda function's 15-minute limit. */
export const RETENTION_LEASE_MS = 16 * 60_000;
/** Export objects listed and deleted per batch (S3 deletes up to 1,000 per request). */
export const EXPORT_BATCH = 500;

const zeroCounts = (): DestroyedCounts => ({
  statements: 0,
  testStatements: 0,
  emails: 0,
  testEmails: 0,
  dataKeys: 0,
  challengeClaims: 0,
  duplicateAnswers: 0,
  exportFiles: 0,
});

/** What a certificate counts: statements, e-mail addresses and export files. */
function certified(counts: DestroyedCounts) {
  return {
    statementsDestroyed: counts.statements + counts.testStatements,
    emailsDestroyed: counts.emails + counts.testEmails,
    exportsDestroyed: counts.exportFiles,
  };
}

/**
 * The destruction job (`npm start` at start and daily, `npm run retention`, the daily schedule in
 * AWS): destroys the collection's personal data on the legal day.
 * Input: the clock (the system's; tests inject one). Output: `RetentionOutcome`.
 * Steps:
 *  1. the deadline from the initiative item (`destructionDeadlineOf`: 21 months after the
 *     collection start, one month after the submission or a withdrawal of the initiative);
 *     before that day (Brussels) -> record the run (`lastRun`) and stop: nothing is deleted;
 *  2. take the job for this run (a lease on the record: one run at a time), and record that a
 *     destruction is under way (`run`), so a crash resumes it where it stopped;
 *  3. delete every statement, e-mail address, data-key record, challenge claim and duplicate
 *     answer (live and test): a keys-only scan, page by page; each page's keys are recorded
 *     before they are deleted and counted when done, so a crash neither loses nor double-counts
 *     a batch; passes repeat until one finds nothing (late arrivals included);
 *  4. delete every export file (every version, unfinished uploads too), in batches recorded alike;
 *  5. append the destruction certificate to the audit trail (`destruction`, by `system`): counts,
 *     time, deadline, met or late; once (found again in the trail on resume). A later run that
 *     finds nothing a certificate counts appends none;
 *  6. destroy the statement key (KMS: deletion scheduled with the shortest window; locally: the
 *     master key deleted), so that backups of the table are unreadable too; record
 *     `key_destroyed` once;
 *  7. record the run and release the job.
 * Safe to run twice: after a destruction, a run finds nothing, writes no certificate, and only
 * records `lastRun`. Counters (`C#`, `CT#`), the audit trail and the initiative stay.
 */
export class RunRetention {
  private readonly leaseMs: number;

  constructor(private readonly deps: RunRetentionDeps) {
    this.leaseMs = deps.leaseMs ?? RETENTION_LEASE_MS;
  }

  async execute(options: RunRetentionOptions = {}): Promise<RetentionOutcome> {
    const { deps } = this;
    const now = deps.clock.now();
    const state = await deps.initiatives.state({ fresh: true });
    if (!state) throw new InitiativeNotConfiguredError();
    const { deadline, rule } = destructionDeadlineOf(state);
    const current = await deps.store.read();
    const started = current.record.run !== undefined || current.record.certificates.length > 0;
    if (brusselsDate(now) < deadline && !started) {
      await this.recordLastRun(current, now);
      return { status: 'not_due', deadline, rule };
    }

    const owner = deps.newId();
    const session = await this.acquire(current, owner, now);
    if (!session) return { status: 'busy' };
    try {
      return await this.destroy(session, deadline, rule, options);
    } finally {
      await session.release().catch(() => {});
    }
  }

  /** Records `lastRun`, re-reading once if another write came first. */
  private async recordLastRun(current: VersionedRetentionRecord, now: Date): Promise<void> {
    let { record, version } = current;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.deps.store.write({ ...record, lastRun: now.toISOString() }, version)) return;
      ({ record, version } = await this.deps.store.read());
    }
    throw new DependencyUnavailableError('database', {
      cause: new Error('the retention record keeps changing'),
    });
  }

  /** Takes the job unless another run holds a lease that has not run out. */
  private async acquire(current: VersionedRetentionRecord, owner: string, now: Date) {
    const { lease } = current.record;
    if (lease && lease.until > now.toISOString()) return undefined;
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    const taken = { ...current.record, lease: { owner, until } };
    if (!(await this.deps.store.write(taken, current.version))) return undefined;
    return new Session(this.deps.store, taken, current.version + 1);
  }

  private async destroy(
    session: Session,
    deadline: string,
    rule: DestructionRule,
    options: RunRetentionOptions,
  ): Promise<RetentionOutcome> {
    const { deps } = this;
    if (!session.record.run) {
      await session.save({
        run: {
          runId: deps.newId(),
          deadline,
          rule,
          startedAt: deps.clock.now().toISOString(),
          phase: 'table',
          counts: zeroCounts(),
          passDeleted: false,
        },
      });
    }
    let certificate: DestructionCertificate | null = null;
    for (;;) {
      const run = session.run();
      if (options.shouldStop?.()) {
        await session.save({ lastRun: deps.clock.now().toISOString() });
        return { status: 'incomplete', counts: run.counts };
      }
      switch (run.phase) {
        case 'table':
          await this.tableStep(session, run);
          break;
        case 'exports':
          await this.exportsStep(session, run);
          break;
        case 'certificate':
          certificate = await this.certificateStep(session, run);
          break;
        case 'key': {
          const keyDestruction = await this.keyStep(session, run);
          await session.save({ run: undefined, lastRun: deps.clock.now().toISOString() });
          return {
            status: 'destroyed',
            deadline: run.deadline,
            certificate,
            counts: run.counts,
            keyDestruction,
          };
        }
      }
    }
  }

  /** One batch of the table: a recorded batch is deleted and counted; else the next page is read. */
  private async tableStep(session: Session, run: DestructionRun): Promise<void> {
    const pending = run.pending?.items;
    if (pending) {
      await this.deps.table.deleteItems(pending);
      const counts = { ...run.counts };
      for (const item of pending) counts[item.family] += 1;
      const { pending: _done, cursor: _old, ...rest } = run;
      const next = run.pending?.next;
      await session.save({ run: { ...rest, counts, passDeleted: true, ...(next ? { cursor: next } : {}) } });
      if (!next) await this.endPass(session);
      return;
    }
    const page = await this.deps.table.scanPage(run.cursor);
    if (page.items.length > 0) {
      await session.save({
        run: { ...run, pending: { items: page.items, ...(page.next ? { next: page.next } : {}) } },
      });
      return;
    }
    if (page.next) {
      await session.save({ run: { ...run, cursor: page.next } });
      return;
    }
    await this.endPass(session);
  }

  /** The end of a scan pass: another pass if this one deleted anything, else the exports. */
  private async endPass(session: Session): Promise<void> {
    const { cursor: _end, ...run } = session.run();
    await session.save({
      run: run.passDeleted
        ? { ...run, passDeleted: false }
        : { ...run, phase: 'exports', passDeleted: false },
    });
  }

  private async exportsStep(session: Session, run: DestructionRun): Promise<void> {
    const pending = run.pending?.exports;
    if (pending) {
      await this.deps.exportFiles.delete(pending);
      const exportFiles = run.counts.exportFiles + pending.filter((o) => o.isFile).length;
      const { pending: _done, ...rest } = run;
      await session.save({ run: { ...rest, counts: { ...run.counts, exportFiles } } });
      return;
    }
    const objects = await this.deps.exportFiles.list(EXPORT_BATCH);
    await session.save({
      run: objects.length > 0 ? { ...run, pending: { exports: objects } } : { ...run, phase: 'certificate' },
    });
  }

  /**
   * The certificate: the first destruction always has one; a later run only when it destroyed
   * something a certificate counts. Appended once: on resume, the trail after the recorded seq
   * is searched for this run's entry first.
   */
  private async certificateStep(
    session: Session,
    run: DestructionRun,
  ): Promise<DestructionCertificate | null> {
    const { deps } = this;
    const counted = certified(run.counts);
    const first = session.record.certificates.length === 0;
    if (!first && counted.statementsDestroyed + counted.emailsDestroyed + counted.exportsDestroyed === 0) {
      await session.save({ run: { ...run, phase: 'key' } });
      return null;
    }
    let certifying = run.certifying;
    if (!certifying) {
      const at = deps.clock.now();
      const certificate: DestructionCertificate = {
        at: at.toISOString(),
        deadline: run.deadline,
        met: brusselsDate(at) <= run.deadline,
        ...counted,
      };
      certifying = { certificate, afterSeq: (await deps.trail.head())?.seq ?? 0 };
      await session.save({ run: { ...run, certifying } });
    }
    const { certificate } = certifying;
    if (!(await this.recorded('destruction', run.runId, certifying.afterSeq))) {
      const head = await deps.trail.head();
      await recordAction(deps.trail, SYSTEM_ACTOR, 'destruction', {
        ...certificate,
        rule: run.rule,
        runId: run.runId,
        destroyed: { ...run.counts },
        // The head of the trail before this entry, anchored here (docs/audit-trail.md).
        auditHead: head?.hash ?? null,
      });
    }
    const { certifying: _done, ...rest } = run;
    await session.save({
      run: { ...rest, phase: 'key' },
      certificates: [...session.record.certificates, certificate],
    });
    return certificate;
  }

  /** The statement key, destroyed once and recorded once. */
  private async keyStep(session: Session, run: DestructionRun) {
    const { deps } = this;
    const done = session.record.keyDestroyed;
    if (done) return done;
    let afterSeq = run.keyAfterSeq;
    if (afterSeq === undefined) {
      afterSeq = (await deps.trail.head())?.seq ?? 0;
      await session.save({ run: { ...run, keyAfterSeq: afterSeq } });
    }
    const at = deps.clock.now();
    const { deletionDate } = await deps.key.destroy(at);
    if (!(await this.recorded('key_destroyed', run.runId, afterSeq))) {
      await recordAction(deps.trail, SYSTEM_ACTOR, 'key_destroyed', {
        runId: run.runId,
        key: 'statements',
        deletionDate,
      });
    }
    const keyDestruction = { at: at.toISOString(), deletionDate };
    await session.save({ keyDestroyed: keyDestruction });
    return keyDestruction;
  }

  /** Whether this run's entry of `action` is in the trail after `afterSeq`. */
  private async recorded(action: 'destruction' | 'key_destroyed', runId: string, afterSeq: number) {
    const entries = await this.deps.trail.list({ after: afterSeq });
    return entries.some((e) => e.action === action && e.details.runId === runId);
  }
}

/** The record as this run holds it: every change is a conditional write on the version it read. */
class Session {
  constructor(
    private readonly store: RetentionStore,
    public record: RetentionRecord,
    private version: number,
  ) {}

  run(): DestructionRun {
    if (!this.record.run) throw new Error('no destruction under way');
    return this.record.run;
  }

  async save(change: Partial<RetentionRecord>): Promise<void> {
    const next: RetentionRecord = { ...this.record, ...change };
    if (change.run === undefined && 'run' in change) delete (next as { run?: unknown }).run;
    if (!(await this.store.write(next, this.version))) {
      throw new DependencyUnavailableError('database', {
        cause: new Error('the retention record changed under a run that holds it'),
      });
    }
    this.record = next;
    this.version += 1;
  }

  /** Gives the job up (the next run need not wait for the lease to run out). */
  async release(): Promise<void> {
    const { lease: _released, ...rest } = this.record;
    if (!(await this.store.write(rest, this.version))) return;
    this.record = rest;
    this.version += 1;
  }
}
