import { randomBytes } from 'node:crypto';
import { type AuditAction, type AuditActor, SYSTEM_ACTOR } from '@ocs/shared/audit';
import type { ExportView } from '@ocs/shared/contract/exports-api';
import {
  ExportNotFoundError,
  InitiativeNotConfiguredError,
  InvalidExportStateError,
  InvalidRequestError,
  RetentionOverError,
  SameOrganiserError,
} from '@ocs/shared/errors';
import type { ExportSink } from '@ocs/shared/export';
import {
  checkDownloadRequest,
  checkExportRequest,
  type DownloadLink,
  type DownloadLinks,
  EXPORT_JOB_ID,
  type ExportJob,
  type ExportJobFailure,
  type ExportJobStore,
  type ExportKind,
  type ExportLauncher,
  type ExportOrganiser,
  exportJobId,
  staleReason,
} from '@ocs/shared/export-job';
import { brusselsDate, emailRetentionDeadline } from '@ocs/shared/initiative';
import type { AuditTrail, Clock, InitiativeStore } from '@ocs/shared/ports';
import type { Organiser } from '../auth/organiser';
import { recordAction } from './audit';

/**
 * The organisers' side of exports: request, approve (by another organiser), read, list, and
 * download links. The run itself is `ExportJobRunner` (functions/src/export/export-job-runner.ts).
 * Every step an organiser takes is written to the audit trail before it has effect elsewhere: a
 * request or an approval whose entry cannot be written fails the job (nothing runs unaudited), a
 * download link is issued only after its entry is written.
 */

/** Who acts: the organiser from the verified token, and their audit actor. */
export interface ExportActor {
  readonly organiser: Organiser;
  readonly actor: AuditActor;
}

export interface ExportJobsDeps {
  readonly jobs: ExportJobStore;
  readonly trail: AuditTrail;
  readonly clock: Clock;
  /** New job ids; time-ordered random ids by default. */
  readonly newJobId?: (at: Date) => string;
}

/** How long a download link works: long enough to start a download, short enough to be useless later. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/** The audit actions of each kind of export. */
const ACTIONS: Readonly<Record<ExportKind, Record<'requested' | 'approved' | 'downloaded', AuditAction>>> = {
  statements: { requested: 'export_requested', approved: 'export_approved', downloaded: 'export_downloaded' },
  emails: {
    requested: 'email_export_requested',
    approved: 'email_export_approved',
    downloaded: 'email_export_downloaded',
  },
};

const defaultJobId = (at: Date) => exportJobId(at, new Uint8Array(randomBytes(8)));
const organiserOfJob = (o: Organiser): ExportOrganiser => ({ sub: o.sub, email: o.email });

/** The job as the API shows it (docs/admin-api.md, Exports). */
export function exportView(job: ExportJob): ExportView {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    countries: job.countries,
    requestedBy: job.requestedBy,
    requestedAt: job.requestedAt,
    approvedBy: job.approvedBy ?? null,
    approvedAt: job.approvedAt ?? null,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    progress: job.progress ?? null,
    files: job.state === 'done' ? (job.files ?? []) : [],
    manifestSha256: job.state === 'done' ? (job.manifestSha256 ?? null) : null,
    emails: job.state === 'done' ? (job.emails ?? null) : null,
    failure: job.state === 'failed' ? (job.failure ?? 'error') : null,
  };
}

/**
 * Fails a job and records it (actor: system). Used where the job cannot go on: its own audit entry
 * could not be written, its run could not be started, its run died. The record of the failure is
 * best effort when the trail itself is what failed.
 */
async function failJob(
  deps: ExportJobsDeps,
  job: ExportJob,
  reason: ExportJobFailure,
  options: { heartbeatAt?: string } = {},
): Promise<boolean> {
  const from = job.state === 'running' ? ['running' as const] : [job.state];
  const failed = await deps.jobs.fail(job.id, from, reason, deps.clock.now().toISOString(), options);
  if (failed && reason !== 'audit_failed') {
    await recordAction(deps.trail, SYSTEM_ACTOR, 'export_failed', {
      exportId: job.id,
      kind: job.kind,
      reason,
    });
  }
  return failed;
}

/** Stores a new requested job and records the request; an unrecorded request is failed at once. */
async function createJob(
  deps: ExportJobsDeps,
  who: ExportActor,
  job: Pick<ExportJob, 'kind' | 'countries'>,
): Promise<ExportJob> {
  const now = deps.clock.now();
  const created: ExportJob = {
    id: (deps.newJobId ?? defaultJobId)(now),
    kind: job.kind,
    countries: job.countries,
    state: 'requested',
    requestedBy: organiserOfJob(who.organiser),
    requestedAt: now.toISOString(),
  };
  await deps.jobs.create(created);
  try {
    await recordAction(deps.trail, who.actor, ACTIONS[job.kind].requested, {
      exportId: created.id,
      ...(job.kind === 'statements'
        ? { countries: job.countries === 'all' ? 'all' : [...(job.countries ?? [])] }
        : {}),
    });
  } catch (error) {
    await deps.jobs
      .fail(created.id, ['requested'], 'audit_failed', deps.clock.now().toISOString())
      .catch(() => false);
    throw error;
  }
  return created;
}

/**
 * `POST /api/admin/exports`: an organiser asks for an export of the statements of some Member
 * States (or all). Input: the body (`countries`). Output: the `requested` job.
 * Steps: check the body (422 with every field error); store the job; record `export_requested`.
 */
export async function requestExport(
  deps: ExportJobsDeps,
  who: ExportActor,
  body: unknown,
): Promise<ExportJob> {
  const checked = checkExportRequest(body);
  if (!checked.ok) throw new InvalidRequestError(checked.errors);
  return createJob(deps, who, { kind: 'statements', countries: checked.value });
}

/**
 * `POST /api/admin/email-exports`: an organiser asks for the e-mail addresses that signatories gave
 * with their consent to receive updates. Refused once the e-mails' retention is over (409
 * `retention_over`): after that day there is nothing the organisers may still use them for.
 * Steps: read the initiative; check the deadline (Brussels date); store the job; record
 * `email_export_requested`.
 */
export async function requestEmailExport(
  deps: ExportJobsDeps & { readonly initiatives: InitiativeStore },
  who: ExportActor,
): Promise<ExportJob> {
  const initiative = await deps.initiatives.get();
  if (!initiative) throw new InitiativeNotConfiguredError();
  const deadline = emailRetentionDeadline(initiative);
  if (brusselsDate(deps.clock.now()) >= deadline) throw new RetentionOverError(deadline);
  return createJob(deps, who, { kind: 'emails', countries: null });
}

/** The job of a path id; 404 for an id of the wrong form or of no job. */
async function jobOf(deps: Pick<ExportJobsDeps, 'jobs'>, id: string | undefined): Promise<ExportJob> {
  const job = id && EXPORT_JOB_ID.test(id) ? await deps.jobs.get(id) : undefined;
  if (!job) throw new ExportNotFoundError();
  return job;
}

/**
 * `POST /api/admin/exports/{id}/approve`: a second organiser approves; then the run starts.
 * Input: the approving organiser and the job id. Output: the job after approval.
 * Steps: read the job (404); the requester may not approve (403 `same_organiser`); it must be
 * `requested` (409 `invalid_state`); approve with a conditional write that repeats both checks (of
 * two concurrent approvals one wins, the other gets 409); record the approval (if that fails, the
 * job fails `audit_failed`: it never runs unaudited); start the run (if that fails, the job fails
 * `start_failed` and the error is answered, 503 for an AWS error).
 */
export async function approveExport(
  deps: ExportJobsDeps & { readonly launcher: ExportLauncher },
  who: ExportActor,
  id: string | undefined,
): Promise<ExportJob> {
  const job = await jobOf(deps, id);
  if (job.requestedBy.sub === who.organiser.sub) throw new SameOrganiserError();
  if (job.state !== 'requested') throw new InvalidExportStateError(job.state, ['requested']);
  const at = deps.clock.now().toISOString();
  const approver = organiserOfJob(who.organiser);
  if (!(await deps.jobs.approve(job.id, approver, at))) {
    const now = await jobOf(deps, job.id);
    throw new InvalidExportStateError(now.state, ['requested']);
  }
  const approved: ExportJob = { ...job, state: 'approved', approvedBy: approver, approvedAt: at };
  try {
    await recordAction(deps.trail, who.actor, ACTIONS[job.kind].approved, {
      exportId: job.id,
      requestedBy: job.requestedBy.sub,
    });
  } catch (error) {
    await deps.jobs
      .fail(job.id, ['approved'], 'audit_failed', deps.clock.now().toISOString())
      .catch(() => false);
    throw error;
  }
  try {
    await deps.launcher.launch({ id: job.id, kind: job.kind });
  } catch (error) {
    await failJob(deps, approved, 'start_failed').catch(() => false);
    throw error;
  }
  return approved;
}

/**
 * A job as it is now: a run that stopped reporting, or an approval whose run never started, is
 * failed first (its files, if any, discarded), so no one waits on a dead export. The conditional
 * write keeps a run that reported in meanwhile.
 */
async function settle(
  deps: ExportJobsDeps & { readonly sink: ExportSink },
  job: ExportJob,
): Promise<ExportJob> {
  const reason = staleReason(job, deps.clock.now());
  if (!reason) return job;
  const options = job.state === 'running' && job.heartbeatAt ? { heartbeatAt: job.heartbeatAt } : {};
  if (await failJob(deps, job, reason, options)) await deps.sink.discard(job.id);
  return (await deps.jobs.get(job.id)) ?? job;
}

/** `GET /api/admin/exports/{id}`: the job, settled (see `settle`). */
export async function readExport(
  deps: ExportJobsDeps & { readonly sink: ExportSink },
  id: string | undefined,
): Promise<ExportJob> {
  return settle(deps, await jobOf(deps, id));
}

/** `GET /api/admin/exports`: every job, newest first, each settled. */
export async function listExports(
  deps: ExportJobsDeps & { readonly sink: ExportSink },
): Promise<ExportJob[]> {
  const jobs = await deps.jobs.list();
  const settled: ExportJob[] = [];
  for (const job of jobs) settled.push(await settle(deps, job));
  return settled;
}

/**
 * `POST /api/admin/exports/{id}/downloads`: a short-lived link to one file of a done export.
 * Input: the organiser, the job id, the body (`file`). Output: `{ url, expiresAt }`.
 * Steps: read the job (404); it must be `done` (409 `invalid_state`); the file must be one of its
 * files (422); record the download (`export_downloaded`, or `email_export_downloaded`, with the
 * export id and the file: never a signatory); issue the link.
 */
export async function createDownloadLink(
  deps: ExportJobsDeps & { readonly links: DownloadLinks },
  who: ExportActor,
  id: string | undefined,
  body: unknown,
): Promise<DownloadLink> {
  const job = await jobOf(deps, id);
  if (job.state !== 'done') throw new InvalidExportStateError(job.state, ['done']);
  const checked = checkDownloadRequest(body, job);
  if (!checked.ok) throw new InvalidRequestError(checked.errors);
  await recordAction(deps.trail, who.actor, ACTIONS[job.kind].downloaded, {
    exportId: job.id,
    file: checked.value.name,
  });
  return deps.links.create(checked.value, DOWNLOAD_LINK_SECONDS);
}
