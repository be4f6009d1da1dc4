import { SYSTEM_ACTOR } from '@ocs/shared/audit';
import { ExportFailedError, type ExportProgress, type ExportSink } from '@ocs/shared/export';
import type {
  ExportJob,
  ExportJobFailure,
  ExportJobResult,
  ExportJobStore,
  ExportKind,
  ExportState,
} from '@ocs/shared/export-job';
import type { AuditTrail, Clock } from '@ocs/shared/ports';
import { recordAction } from '../use-cases/audit';
import type { ProgressListener } from './run-export';

/** What an export of one kind does with an approved job: write its files, report progress, answer the result. */
export interface ExportEngine {
  readonly kind: ExportKind;
  run(
    job: ExportJob,
    onProgress: ProgressListener,
  ): Promise<ExportJobResult & { readonly statements?: number }>;
}

/** What the runner tells its caller (for its log): how the job ended, or why it did not run. */
export type RunOutcome =
  | {
      readonly outcome: 'skipped';
      readonly why: 'not_found' | 'other_kind' | 'not_approved' | 'already_started';
    }
  | { readonly outcome: Extract<ExportState, 'done' | 'failed'>; readonly reason?: ExportJobFailure };

/** Notes from the run, for the log (counts, phases and codes only). */
export type RunLog = (message: string, details: Record<string, unknown>) => void;

export interface ExportJobRunnerDeps {
  readonly jobs: ExportJobStore;
  readonly trail: AuditTrail;
  readonly clock: Clock;
  readonly engine: ExportEngine;
  /** Where the engine writes: the runner discards a finished run's files if its job was given up. */
  readonly sink: ExportSink;
  /** Milliseconds between heartbeats (default 20 s; a job is given up after two minutes without). */
  readonly heartbeatMs?: number;
  /** Least milliseconds between two writes of progress reports (default 2 s). */
  readonly progressMs?: number;
  readonly log?: RunLog;
}

/** A run stopped on its own: its job was given up meanwhile, or its time is nearly over. */
class RunStopped extends Error {
  override readonly name = 'RunStopped';
  constructor(readonly reason: 'interrupted' | 'timed_out') {
    super(`The export run stopped (${reason}).`);
  }
}

/**
 * Runs one approved export job to its end, once.
 * Input: the job id and, in Lambda, the instant by which the run must stop (the function's timeout
 * less a margin). Output: how it ended.
 * Steps:
 *  1. read the job; only an `approved` job of this runner's kind runs;
 *  2. `approved -> running` by a conditional write: a second delivery of the same start event, or a
 *     second runner, finds it running and does nothing (no double run);
 *  3. run the engine; progress reports (at most one write every `progressMs`) and a timer (every
 *     `heartbeatMs`) write a heartbeat with the progress; when a heartbeat finds the job no longer
 *     running (given up as interrupted), or the deadline is near, the run stops itself at its
 *     next progress report and the engine discards what it wrote;
 *  4. record `export_completed` (system: the files' count and hashes), then `running -> done` with
 *     the files' lines and hashes; if the job was given up meanwhile, the files just written are
 *     discarded (and `export_failed` recorded);
 *  5. on any failure: `running -> failed` with the stable reason, recorded as `export_failed`; the
 *     engine has already deleted every file of the export.
 */
export class ExportJobRunner {
  private readonly heartbeatMs: number;
  private readonly progressMs: number;

  constructor(private readonly deps: ExportJobRunnerDeps) {
    this.heartbeatMs = deps.heartbeatMs ?? 20_000;
    this.progressMs = deps.progressMs ?? 2_000;
  }

  async run(exportId: string, options: { readonly deadline?: number } = {}): Promise<RunOutcome> {
    const { deps } = this;
    const job = await deps.jobs.get(exportId);
    if (!job) return { outcome: 'skipped', why: 'not_found' };
    if (job.kind !== deps.engine.kind) return { outcome: 'skipped', why: 'other_kind' };
    if (job.state !== 'approved') return { outcome: 'skipped', why: 'not_approved' };
    if (!(await deps.jobs.start(job.id, this.now()))) return { outcome: 'skipped', why: 'already_started' };
    const log: RunLog = (message, details) => deps.log?.(message, { exportId: job.id, ...details });
    log('export started', { kind: job.kind });

    let lost = false;
    let latest: ExportProgress = { phase: 'reading', read: 0, written: 0 };
    let lastBeat = Date.now();
    const beat = async () => {
      lastBeat = Date.now();
      if (!(await deps.jobs.heartbeat(job.id, latest, this.now()))) lost = true;
    };
    const timer = setInterval(() => {
      beat().catch(() => {});
    }, this.heartbeatMs);
    timer.unref();
    const onProgress: ProgressListener = async (progress) => {
      latest = progress;
      log('export progress', { ...progress });
      if (lost) throw new RunStopped('interrupted');
      if (options.deadline !== undefined && deps.clock.now().getTime() >= options.deadline) {
        throw new RunStopped('timed_out');
      }
      if (Date.now() - lastBeat >= this.progressMs) await beat();
    };

    let result: Awaited<ReturnType<ExportEngine['run']>>;
    try {
      result = await deps.engine.run(job, onProgress);
    } catch (error) {
      clearInterval(timer);
      const reason = failureOf(error, lost);
      log('export failed', { reason, errorName: error instanceof Error ? error.name : typeof error });
      if (await deps.jobs.fail(job.id, ['running'], reason, this.now())) {
        await this.record('export_failed', { exportId: job.id, kind: job.kind, reason });
      }
      return { outcome: 'failed', reason };
    }
    clearInterval(timer);

    const { statements, ...stored } = result;
    // Recorded before the job is done, so that every download in the trail follows its completion.
    await this.record('export_completed', {
      exportId: job.id,
      kind: job.kind,
      files: stored.files?.length ?? 1,
      ...(statements !== undefined ? { statements } : {}),
      ...(stored.manifestSha256 ? { manifestSha256: stored.manifestSha256 } : {}),
      ...(stored.emails ? { sha256: stored.emails.sha256 } : {}),
    });
    if (!(await deps.jobs.complete(job.id, { ...stored, progress: latest }, this.now()))) {
      // Given up while it ran: nobody may download what it wrote.
      await deps.sink.discard(job.id);
      await this.record('export_failed', { exportId: job.id, kind: job.kind, reason: 'interrupted' });
      log('export given up before it finished; files discarded', {});
      return { outcome: 'failed', reason: 'interrupted' };
    }
    log('export done', { files: stored.files?.length ?? 1 });
    return { outcome: 'done' };
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** A system entry; the job's state is what counts, so a failure here is logged, not thrown. */
  private async record(
    action: 'export_completed' | 'export_failed',
    details: Record<string, string | number>,
  ): Promise<void> {
    try {
      await recordAction(this.deps.trail, SYSTEM_ACTOR, action, details);
    } catch (error) {
      this.deps.log?.('audit entry not written', {
        action,
        errorName: error instanceof Error ? error.name : typeof error,
      });
    }
  }
}

function failureOf(error: unknown, lost: boolean): ExportJobFailure {
  if (error instanceof RunStopped) return error.reason;
  if (lost) return 'interrupted';
  if (error instanceof ExportFailedError) return error.reason;
  return 'error';
}
