import {
  approveExport,
  createDownloadLink,
  DOWNLOAD_LINK_SECONDS,
  type ExportActor,
  exportView,
  listExports,
  readExport,
  requestEmailExport,
  requestExport,
} from '@ocs/functions/use-cases/export-jobs';
import { verifyChain } from '@ocs/shared/audit';
import {
  DependencyUnavailableError,
  ExportNotFoundError,
  InvalidExportStateError,
  InvalidRequestError,
  SameOrganiserError,
} from '@ocs/shared/errors';
import { EXPORT_STALE_AFTER_MS, EXPORT_START_TIMEOUT_MS, type ExportJob } from '@ocs/shared/export-job';
import { addMonths, emailRetentionDeadline } from '@ocs/shared/initiative';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import {
  DiscardRecorder,
  InMemoryExportJobStore,
  RecordingLauncher,
  RecordingLinks,
} from '../../../support/fake-export-jobs';
import { FakeInitiativeStore } from '../../../support/fakes';
import { initiativeOpenAt } from '../support/data';

const who = (name: string): ExportActor => ({
  organiser: { sub: `sub-${name}`, email: `${name}@example.org` },
  actor: { sub: `sub-${name}`, email: `${name}@example.org` },
});
const A = who('anna');
const B = who('bruno');
const C = who('carla');

let clock: ManualClock;
let jobs: InMemoryExportJobStore;
let trail: FakeAuditTrail;
let launcher: RecordingLauncher;
let sink: DiscardRecorder;
let links: RecordingLinks;
let ids: number;
let deps: {
  jobs: InMemoryExportJobStore;
  trail: FakeAuditTrail;
  clock: ManualClock;
  newJobId: (at: Date) => string;
  launcher: RecordingLauncher;
  sink: DiscardRecorder;
  links: RecordingLinks;
};

beforeEach(() => {
  clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
  jobs = new InMemoryExportJobStore();
  trail = new FakeAuditTrail(clock);
  launcher = new RecordingLauncher();
  sink = new DiscardRecorder();
  links = new RecordingLinks(() => clock.now());
  ids = 0;
  deps = {
    jobs,
    trail,
    clock,
    newJobId: (at) => {
      ids += 1;
      return `${at.toISOString().replace(/[-:.]/g, '')}-${String(ids).padStart(16, '0')}`;
    },
    launcher,
    sink,
    links,
  };
});

const actions = () => trail.entries.map((e) => [e.action, e.actor.sub, e.details]);

/** A job as far as `state`: requested by A, approved by B, then run by hand through the store. */
async function jobIn(state: 'requested' | 'approved' | 'running' | 'done'): Promise<ExportJob> {
  const job = await requestExport(deps, A, { countries: ['DE', 'PL'] });
  if (state === 'requested') return job;
  await approveExport(deps, B, job.id);
  if (state === 'approved') return (await jobs.get(job.id)) as ExportJob;
  await jobs.start(job.id, clock.now().toISOString());
  if (state === 'running') return (await jobs.get(job.id)) as ExportJob;
  await jobs.complete(
    job.id,
    {
      files: [
        { country: 'DE', statements: 1, bytes: 10, sha256: 'a'.repeat(64) },
        { country: 'PL', statements: 0, bytes: 5, sha256: 'b'.repeat(64) },
      ],
      manifestSha256: 'c'.repeat(64),
    },
    clock.now().toISOString(),
  );
  return (await jobs.get(job.id)) as ExportJob;
}

describe('requesting an export', () => {
  it('stores a requested job naming the organiser, and records export_requested with the countries', async () => {
    const job = await requestExport(deps, A, { countries: ['PL', 'DE'] });

    expect(job).toEqual({
      id: '20261202T090000000Z-0000000000000001',
      kind: 'statements',
      countries: ['DE', 'PL'],
      state: 'requested',
      requestedBy: { sub: 'sub-anna', email: 'anna@example.org' },
      requestedAt: '2026-12-02T09:00:00.000Z',
    });
    expect(await jobs.get(job.id)).toEqual(job);
    expect(actions()).toEqual([
      ['export_requested', 'sub-anna', { exportId: job.id, countries: ['DE', 'PL'] }],
    ]);
  });

  it('refuses a bad body with every field error, storing and recording nothing', async () => {
    await expect(requestExport(deps, A, { countries: [], extra: 1 })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      errors: [
        { field: 'extra', code: 'not_allowed' },
        { field: 'countries', code: 'invalid_format' },
      ],
    });
    await expect(requestExport(deps, A, undefined)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(jobs.jobs.size).toBe(0);
    expect(trail.entries).toEqual([]);
  });

  it('fails the job when its request cannot be recorded: it can never be approved or run unaudited', async () => {
    trail.failNext(new DependencyUnavailableError('database'));
    await expect(requestExport(deps, A, { countries: 'all' })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    const [stored] = jobs.jobs.values();
    expect(stored).toMatchObject({ state: 'failed', failure: 'audit_failed' });
    await expect(approveExport(deps, B, stored?.id)).rejects.toBeInstanceOf(InvalidExportStateError);
    expect(launcher.launched).toEqual([]);
  });
});

describe('approving an export (dual control)', () => {
  it('lets another organiser approve: the job is approved, recorded, and its run started', async () => {
    const job = await jobIn('requested');
    clock.advance(60_000);
    const approved = await approveExport(deps, B, job.id);

    expect(approved).toMatchObject({
      state: 'approved',
      approvedBy: { sub: 'sub-bruno', email: 'bruno@example.org' },
      approvedAt: '2026-12-02T09:01:00.000Z',
    });
    expect(await jobs.get(job.id)).toEqual(approved);
    expect(actions().at(-1)).toEqual([
      'export_approved',
      'sub-bruno',
      { exportId: job.id, requestedBy: 'sub-anna' },
    ]);
    expect(launcher.launched).toEqual([{ id: job.id, kind: 'statements' }]);
    expect((await verifyChain(trail.entries)).valid).toBe(true);
  });

  it('refuses the requester (403 same_organiser), whatever the state, and changes nothing', async () => {
    const job = await jobIn('requested');
    await expect(approveExport(deps, A, job.id)).rejects.toBeInstanceOf(SameOrganiserError);
    expect((await jobs.get(job.id))?.state).toBe('requested');
    expect(trail.entries.map((e) => e.action)).toEqual(['export_requested']);
    expect(launcher.launched).toEqual([]);
  });

  it('refuses a second approval (409 invalid_state): one approval, one run', async () => {
    const job = await jobIn('approved');
    await expect(approveExport(deps, C, job.id)).rejects.toMatchObject({
      name: 'InvalidExportStateError',
      state: 'approved',
    });
    expect(launcher.launched).toHaveLength(1);
  });

  it('lets exactly one of two concurrent approvals through', async () => {
    const job = await jobIn('requested');
    const outcomes = await Promise.allSettled([
      approveExport(deps, B, job.id),
      approveExport(deps, C, job.id),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(InvalidExportStateError);
    expect(launcher.launched).toHaveLength(1);
    expect(trail.entries.filter((e) => e.action === 'export_approved')).toHaveLength(1);
  });

  it('answers 404 not_found for an unknown id or one of the wrong form, without reading the store for the latter', async () => {
    await expect(approveExport(deps, B, '20261202T090000000Z-00000000000000ff')).rejects.toBeInstanceOf(
      ExportNotFoundError,
    );
    jobs.failNext('get', new Error('must not be read'));
    for (const id of ['../etc', undefined, '']) {
      await expect(approveExport(deps, B, id)).rejects.toBeInstanceOf(ExportNotFoundError);
    }
  });

  it('fails the job without starting it when the approval cannot be recorded', async () => {
    const job = await jobIn('requested');
    trail.failNext(new DependencyUnavailableError('database'));
    await expect(approveExport(deps, B, job.id)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', failure: 'audit_failed' });
    expect(launcher.launched).toEqual([]);
  });

  it('fails the job (start_failed, recorded) when its run cannot be started, and answers the error', async () => {
    const job = await jobIn('requested');
    launcher.failure = Object.assign(new Error('TooManyRequestsException'), { $metadata: {} });
    await expect(approveExport(deps, B, job.id)).rejects.toThrow('TooManyRequestsException');
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', failure: 'start_failed' });
    expect(actions().at(-1)).toEqual([
      'export_failed',
      'system',
      { exportId: job.id, kind: 'statements', reason: 'start_failed' },
    ]);
  });
});

describe('reading exports', () => {
  it('answers a healthy running export as it is', async () => {
    const job = await jobIn('running');
    clock.advance(EXPORT_STALE_AFTER_MS);
    expect(await readExport(deps, job.id)).toEqual(job);
    expect(sink.discarded).toEqual([]);
  });

  it('gives up a run whose heartbeat stopped: failed (interrupted), its files discarded, recorded as the system', async () => {
    const job = await jobIn('running');
    clock.advance(EXPORT_STALE_AFTER_MS + 1);
    expect(await readExport(deps, job.id)).toMatchObject({ state: 'failed', failure: 'interrupted' });
    expect(sink.discarded).toEqual([job.id]);
    expect(actions().at(-1)).toEqual([
      'export_failed',
      'system',
      { exportId: job.id, kind: 'statements', reason: 'interrupted' },
    ]);
  });

  it('keeps a run that reported in between the read and the give-up (the conditional write loses)', async () => {
    const job = await jobIn('running');
    clock.advance(EXPORT_STALE_AFTER_MS + 1);
    const stale = (await jobs.get(job.id)) as ExportJob;
    // The run's heartbeat lands after the reader saw the stale one.
    await jobs.heartbeat(job.id, { phase: 'reading', read: 10, written: 0 }, clock.now().toISOString());
    const read = jobs.get.bind(jobs);
    let first = true;
    jobs.get = async (id) => {
      if (first) {
        first = false;
        return stale;
      }
      return read(id);
    };
    expect(await readExport(deps, job.id)).toMatchObject({ state: 'running', progress: { read: 10 } });
    expect(sink.discarded).toEqual([]);
    expect(trail.entries.map((e) => e.action)).not.toContain('export_failed');
  });

  it('gives up an approval whose run never started (not_started)', async () => {
    const job = await jobIn('approved');
    clock.advance(EXPORT_START_TIMEOUT_MS + 1);
    expect(await readExport(deps, job.id)).toMatchObject({ state: 'failed', failure: 'not_started' });
  });

  it('lists every export newest first, each settled', async () => {
    const first = await jobIn('running');
    clock.advance(1000);
    const second = await jobIn('requested');
    clock.advance(EXPORT_STALE_AFTER_MS + 1);
    const list = await listExports(deps);
    expect(list.map((j) => [j.id, j.state])).toEqual([
      [second.id, 'requested'],
      [first.id, 'failed'],
    ]);
  });

  it('shows files, manifest hash and failure only in the states that have them', async () => {
    const running = exportView(await jobIn('running'));
    expect(running).toMatchObject({
      state: 'running',
      files: [],
      manifestSha256: null,
      emails: null,
      failure: null,
    });
    const done = exportView(await jobIn('done'));
    expect(done).toMatchObject({ state: 'done', manifestSha256: 'c'.repeat(64), failure: null });
    expect(done.files).toHaveLength(2);
    expect(Object.keys(done).sort()).toEqual(
      [
        'id',
        'kind',
        'state',
        'countries',
        'requestedBy',
        'requestedAt',
        'approvedBy',
        'approvedAt',
        'startedAt',
        'finishedAt',
        'progress',
        'files',
        'manifestSha256',
        'emails',
        'failure',
      ].sort(),
    );
  });
});

describe('download links', () => {
  it('records the download (export id and file, no one else) before a five-minute link to exactly that file', async () => {
    const job = await jobIn('done');
    const link = await createDownloadLink(deps, C, job.id, { file: 'PL' });

    expect(link).toEqual({
      url: `https://links.test/${job.id}/PL.xml?ttl=300`,
      expiresAt: '2026-12-02T09:05:00.000Z',
    });
    expect(DOWNLOAD_LINK_SECONDS).toBe(300);
    expect(links.issued).toEqual([
      { file: { exportId: job.id, name: 'PL.xml', contentType: 'application/xml' }, expiresInSeconds: 300 },
    ]);
    expect(actions().at(-1)).toEqual([
      'export_downloaded',
      'sub-carla',
      { exportId: job.id, file: 'PL.xml' },
    ]);
  });

  it('refuses an export that is not done (409), a file it does not have (422), and issues no link', async () => {
    const requested = await jobIn('requested');
    await expect(createDownloadLink(deps, B, requested.id, { file: 'DE' })).rejects.toMatchObject({
      name: 'InvalidExportStateError',
      state: 'requested',
    });
    const done = await jobIn('done');
    await expect(createDownloadLink(deps, B, done.id, { file: 'FR' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(links.issued).toEqual([]);
    expect(trail.entries.map((e) => e.action)).not.toContain('export_downloaded');
  });

  it('issues no link when the download cannot be recorded', async () => {
    const job = await jobIn('done');
    trail.failNext(new DependencyUnavailableError('database'));
    await expect(createDownloadLink(deps, B, job.id, { file: 'manifest' })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(links.issued).toEqual([]);
  });
});

describe('the e-mail export', () => {
  const initiative = initiativeOpenAt(new Date('2026-12-02T09:00:00Z'));

  it('is requested as its own kind and recorded under its own action, then approved and downloaded like the others', async () => {
    const job = await requestEmailExport({ ...deps, initiatives: new FakeInitiativeStore(initiative) }, A);
    expect(job).toMatchObject({ kind: 'emails', countries: null, state: 'requested' });
    await approveExport(deps, B, job.id);
    expect(launcher.launched).toEqual([{ id: job.id, kind: 'emails' }]);
    await jobs.start(job.id, clock.now().toISOString());
    await jobs.complete(
      job.id,
      { emails: { addresses: 2, bytes: 40, sha256: 'd'.repeat(64) } },
      clock.now().toISOString(),
    );
    await createDownloadLink(deps, C, job.id, { file: 'emails' });
    expect(trail.entries.map((e) => e.action)).toEqual([
      'email_export_requested',
      'email_export_approved',
      'email_export_downloaded',
    ]);
    expect(links.issued[0]?.file.name).toBe('emails.csv');
  });

  it('is refused from the end of the e-mails’ retention (12 months after the collection ends) on', async () => {
    const initiatives = new FakeInitiativeStore(initiative);
    clock.set(Date.parse(`${initiative.collection.end}T12:00:00Z`));
    await expect(requestEmailExport({ ...deps, initiatives }, A)).resolves.toMatchObject({ kind: 'emails' });
    const deadline = emailRetentionDeadline(initiative);
    expect(deadline).toBe(addMonths(initiative.collection.end, 12));
    // The last day before the deadline, late evening in Brussels (UTC+1 in winter, +2 in summer).
    clock.set(Date.parse(`${deadline}T00:00:00Z`) - 3 * 3_600_000);
    await expect(requestEmailExport({ ...deps, initiatives }, A)).resolves.toMatchObject({ kind: 'emails' });
    clock.set(Date.parse(`${deadline}T00:00:00Z`));
    await expect(requestEmailExport({ ...deps, initiatives }, A)).rejects.toMatchObject({
      name: 'RetentionOverError',
      deadline,
    });
    expect(jobs.jobs.size).toBe(2);
  });
});
