import { type ExportEngine, ExportJobRunner } from '@ocs/functions/export/export-job-runner';
import type { ProgressListener } from '@ocs/functions/export/run-export';
import { ExportFailedError } from '@ocs/shared/export';
import type { ExportJob } from '@ocs/shared/export-job';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import { DiscardRecorder, InMemoryExportJobStore } from '../../../support/fake-export-jobs';
import { deferred } from '../../../support/fakes';

const ID = '20261202T090000000Z-00112233445566ff';
const FILES = [{ country: 'DE' as const, statements: 3, bytes: 100, sha256: 'a'.repeat(64) }];

let clock: ManualClock;
let jobs: InMemoryExportJobStore;
let trail: FakeAuditTrail;
let sink: DiscardRecorder;

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
  jobs = new InMemoryExportJobStore();
  trail = new FakeAuditTrail(clock);
  sink = new DiscardRecorder();
  await jobs.create(job());
});

function job(over: Partial<ExportJob> = {}): ExportJob {
  return {
    id: ID,
    kind: 'statements',
    countries: 'all',
    state: 'approved',
    requestedBy: { sub: 'sub-a', email: 'a@example.org' },
    requestedAt: '2026-12-02T08:00:00.000Z',
    approvedBy: { sub: 'sub-b', email: 'b@example.org' },
    approvedAt: '2026-12-02T08:30:00.000Z',
    ...over,
  };
}

/** An engine whose run the test scripts: `body` gets the job and the progress listener. */
function engine(body: (job: ExportJob, onProgress: ProgressListener) => Promise<void> = async () => {}) {
  const runs: string[] = [];
  const fake: ExportEngine & { runs: string[] } = {
    kind: 'statements',
    runs,
    run: async (j, onProgress) => {
      runs.push(j.id);
      await body(j, onProgress);
      await onProgress({ phase: 'done', read: 3, written: 3 });
      return { files: FILES, manifestSha256: 'b'.repeat(64), statements: 3 };
    },
  };
  return fake;
}

const runner = (e: ExportEngine, over: { heartbeatMs?: number; progressMs?: number } = {}) =>
  new ExportJobRunner({ jobs, trail, clock, engine: e, sink, ...over });

describe('ExportJobRunner', () => {
  it('runs an approved job once: running, then done with its files, hash and last progress; the end recorded as the system', async () => {
    const e = engine();
    expect(await runner(e).run(ID)).toEqual({ outcome: 'done' });

    expect(e.runs).toEqual([ID]);
    expect(await jobs.get(ID)).toMatchObject({
      state: 'done',
      startedAt: '2026-12-02T09:00:00.000Z',
      finishedAt: '2026-12-02T09:00:00.000Z',
      files: FILES,
      manifestSha256: 'b'.repeat(64),
      progress: { phase: 'done', read: 3, written: 3 },
    });
    expect(trail.entries.map((x) => [x.action, x.actor.sub, x.details])).toEqual([
      [
        'export_completed',
        'system',
        { exportId: ID, kind: 'statements', files: 1, statements: 3, manifestSha256: 'b'.repeat(64) },
      ],
    ]);
    // A second delivery of the start event finds it done: nothing runs again.
    expect(await runner(e).run(ID)).toEqual({ outcome: 'skipped', why: 'not_approved' });
    expect(e.runs).toEqual([ID]);
  });

  it('starts a job once when two runners race for it', async () => {
    const hold = deferred();
    const e = engine(() => hold.promise);
    const first = runner(e).run(ID);
    const second = runner(e).run(ID);
    const outcome = await Promise.race([second, first.then(() => 'first')]);
    expect(outcome).toEqual({ outcome: 'skipped', why: 'already_started' });
    hold.resolve();
    expect(await first).toEqual({ outcome: 'done' });
    expect(e.runs).toEqual([ID]);
  });

  it('runs nothing for a missing job, a job of the other kind, or one not approved', async () => {
    const e = engine();
    expect(await runner(e).run('20261202T090000000Z-0000000000000000')).toEqual({
      outcome: 'skipped',
      why: 'not_found',
    });
    jobs.jobs.set(ID, job({ kind: 'emails' }));
    expect(await runner(e).run(ID)).toEqual({ outcome: 'skipped', why: 'other_kind' });
    jobs.jobs.set(ID, job({ state: 'requested' }));
    expect(await runner(e).run(ID)).toEqual({ outcome: 'skipped', why: 'not_approved' });
    expect(e.runs).toEqual([]);
  });

  it('fails the job with the engine’s stable reason, recorded as the system', async () => {
    const e = engine(async () => {
      throw new ExportFailedError('duplicate_statement');
    });
    expect(await runner(e).run(ID)).toEqual({ outcome: 'failed', reason: 'duplicate_statement' });
    expect(await jobs.get(ID)).toMatchObject({ state: 'failed', failure: 'duplicate_statement' });
    expect(trail.entries.map((x) => [x.action, x.details])).toEqual([
      ['export_failed', { exportId: ID, kind: 'statements', reason: 'duplicate_statement' }],
    ]);
  });

  it('fails any other error as `error`, never its message', async () => {
    const e = engine(async () => {
      throw new Error('Anna Beispiel, Lindenstraße 5');
    });
    expect(await runner(e).run(ID)).toEqual({ outcome: 'failed', reason: 'error' });
    expect(JSON.stringify([...jobs.jobs.values(), ...trail.entries])).not.toContain('Anna');
  });

  it('writes progress as it goes, at most once per interval', async () => {
    const e = engine(async (_, onProgress) => {
      await onProgress({ phase: 'reading', read: 10, written: 0 });
      await onProgress({ phase: 'reading', read: 20, written: 0 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      await onProgress({ phase: 'writing', read: 20, written: 10 });
      expect((await jobs.get(ID))?.progress).toEqual({ phase: 'writing', read: 20, written: 10 });
    });
    const writes: unknown[] = [];
    const heartbeat = jobs.heartbeat.bind(jobs);
    jobs.heartbeat = async (id, progress, at) => {
      writes.push(progress);
      return heartbeat(id, progress, at);
    };
    expect(await runner(e, { progressMs: 25 }).run(ID)).toEqual({ outcome: 'done' });
    expect(writes).toEqual([{ phase: 'writing', read: 20, written: 10 }]);
  });

  it('keeps a heartbeat while the engine is silent (waiting on keys or a slow page)', async () => {
    const e = engine(() => new Promise((resolve) => setTimeout(resolve, 60)));
    let beats = 0;
    const heartbeat = jobs.heartbeat.bind(jobs);
    jobs.heartbeat = async (id, progress, at) => {
      beats += 1;
      return heartbeat(id, progress, at);
    };
    await runner(e, { heartbeatMs: 10 }).run(ID);
    expect(beats).toBeGreaterThanOrEqual(2);
  });

  it('stops itself when its job was given up meanwhile (a heartbeat finds it no longer running)', async () => {
    const e = engine(async (_, onProgress) => {
      await jobs.fail(ID, ['running'], 'interrupted', clock.now().toISOString());
      await onProgress({ phase: 'reading', read: 10, written: 0 });
      await onProgress({ phase: 'reading', read: 20, written: 0 });
    });
    expect(await runner(e, { progressMs: 0 }).run(ID)).toEqual({ outcome: 'failed', reason: 'interrupted' });
    // The give-up (by whoever found the run dead) is the one failure on record.
    expect(trail.entries).toEqual([]);
  });

  it('discards the files of a run that finished after its job was given up', async () => {
    const e = engine(async () => {
      await jobs.fail(ID, ['running'], 'interrupted', clock.now().toISOString());
    });
    expect(await runner(e, { progressMs: 60_000 }).run(ID)).toEqual({
      outcome: 'failed',
      reason: 'interrupted',
    });
    expect(sink.discarded).toEqual([ID]);
    expect((await jobs.get(ID))?.state).toBe('failed');
  });

  it('stops with timed_out when its deadline is reached, before the function is killed', async () => {
    const e = engine(async (_, onProgress) => {
      clock.advance(60_000);
      await onProgress({ phase: 'reading', read: 10, written: 0 });
    });
    const deadline = clock.now().getTime() + 30_000;
    expect(await runner(e).run(ID, { deadline })).toEqual({ outcome: 'failed', reason: 'timed_out' });
    expect(await jobs.get(ID)).toMatchObject({ state: 'failed', failure: 'timed_out' });
  });

  it('stays done when the completion cannot be recorded (the job is what counts)', async () => {
    trail.failNext(new Error('trail down'));
    const logged: string[] = [];
    const r = new ExportJobRunner({ jobs, trail, clock, engine: engine(), sink, log: (m) => logged.push(m) });
    expect(await r.run(ID)).toEqual({ outcome: 'done' });
    expect(logged).toContain('audit entry not written');
  });
});
