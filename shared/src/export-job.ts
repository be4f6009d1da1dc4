import type { ExportCountries, ExportFailure, ExportFileSummary, ExportProgress } from './export';
import { type FieldError, MEMBER_STATES, type MemberStateCode } from './statement';

/**
 * An export job: one organiser's request to export, another organiser's approval, the run, its
 * result. Dual control (Regulation (EU) 2019/788 leaves the organisers the duty to keep the data
 * safe, Art. 11(4) and 19; handing every statement to one person is the riskiest thing the system
 * does): an export runs only after a second organiser approved it. The state machine:
 *
 * ```
 * requested --approve (another organiser)--> approved --start (the export function, once)--> running
 * running --> done | failed;  requested | approved --> failed (audit or start could not be done)
 * ```
 *
 * Every transition is a conditional write in the store (`ExportJobStore`): two approvals, or two
 * runs of one export, cannot both succeed.
 */

/** The states of an export job, in the order they are reached. */
export const EXPORT_STATES = ['requested', 'approved', 'running', 'done', 'failed'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/**
 * What an export produces. `statements`: one XML file per Member State and `manifest.json`, for
 * the national authorities. `emails`: the e-mail addresses signatories gave with their consent to
 * receive updates, as one CSV file, for the organisers' own use within the e-mails' retention.
 */
export type ExportKind = 'statements' | 'emails';

/** An organiser as a job records them: the identity provider's subject and e-mail address. */
export interface ExportOrganiser {
  readonly sub: string;
  readonly email: string;
}

/**
 * Why a job failed: the engine's reasons (`ExportFailure`) and the job's own. Stable codes,
 * never personal data.
 */
export type ExportJobFailure =
  | ExportFailure
  /** The run stopped reporting (its function crashed or was stopped) and was given up. */
  | 'interrupted'
  /** The run was about to exceed its time limit and stopped itself, discarding its files. */
  | 'timed_out'
  /** Approved, but no run started in time (the start event was lost or refused). */
  | 'not_started'
  /** The export function could not be started. */
  | 'start_failed'
  /** The audit entry of a step could not be written, so the job may not go on. */
  | 'audit_failed'
  /** Any other error of the run (a storage or network failure); details are in the function's log. */
  | 'error';

/** The e-mail file of an `emails` job. */
export interface EmailFileSummary {
  /** Distinct addresses in the file. */
  readonly addresses: number;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file's exact bytes. */
  readonly sha256: string;
}

/** An export job as stored. Optional fields appear as the job moves on. */
export interface ExportJob {
  /** Sortable by request time (`exportJobId`); an S3 key and path segment as it is. */
  readonly id: string;
  readonly kind: ExportKind;
  /** `statements` jobs: `all` or the Member States requested; `emails` jobs: null. */
  readonly countries: ExportCountries | null;
  readonly state: ExportState;
  readonly requestedBy: ExportOrganiser;
  /** ISO 8601 instants. */
  readonly requestedAt: string;
  readonly approvedBy?: ExportOrganiser;
  readonly approvedAt?: string;
  readonly startedAt?: string;
  /** Last sign of life of the run; a running job whose heartbeat is older than the limit is given up. */
  readonly heartbeatAt?: string;
  readonly finishedAt?: string;
  readonly progress?: ExportProgress;
  /** `statements` jobs, once done: the manifest lines and the SHA-256 of `manifest.json`. */
  readonly files?: readonly ExportFileSummary[];
  readonly manifestSha256?: string;
  /** `emails` jobs, once done. */
  readonly emails?: EmailFileSummary;
  readonly failure?: ExportJobFailure;
}

/** What a `done` run writes into its job. */
export interface ExportJobResult {
  /** The last progress report (phase `done`). */
  readonly progress?: ExportProgress;
  readonly files?: readonly ExportFileSummary[];
  readonly manifestSha256?: string;
  readonly emails?: EmailFileSummary;
}

/**
 * The store of export jobs. Each transition is one conditional write that succeeds only from the
 * state named; `false` means another writer got there first (or the job is not there), and the
 * caller re-reads to say why.
 */
export interface ExportJobStore {
  /** Stores a new `requested` job; fails if the id exists. */
  create(job: ExportJob): Promise<void>;
  get(id: string): Promise<ExportJob | undefined>;
  /** Every job, newest first. */
  list(): Promise<readonly ExportJob[]>;
  /** requested -> approved, unless `approver` is the requester (`sub`). */
  approve(id: string, approver: ExportOrganiser, at: string): Promise<boolean>;
  /** approved -> running (the one run of the job). */
  start(id: string, at: string): Promise<boolean>;
  /** Heartbeat and progress of a running job; false once it is no longer running. */
  heartbeat(id: string, progress: ExportProgress, at: string): Promise<boolean>;
  /** running -> done, with its result. */
  complete(id: string, result: ExportJobResult, at: string): Promise<boolean>;
  /**
   * `from` -> failed with `reason`. With `heartbeatAt`, only if the job's heartbeat is still that
   * one (a run that reported in meanwhile is not given up).
   */
  fail(
    id: string,
    from: readonly ExportState[],
    reason: ExportJobFailure,
    at: string,
    options?: { heartbeatAt?: string },
  ): Promise<boolean>;
}

/** What starts the run of an approved job: an asynchronous Lambda invoke in AWS, in-process locally. */
export interface ExportLauncher {
  /** Returns once the run is handed over (it runs on its own); throws when it cannot be. */
  launch(job: Pick<ExportJob, 'id' | 'kind'>): Promise<void>;
}

/** A file of a done job, as the download link serves it. */
export interface ExportFileRef {
  readonly exportId: string;
  /** `DE.xml`, `manifest.json`, `emails.csv`. */
  readonly name: string;
  readonly contentType: string;
}

/** A short-lived link to one export file. */
export interface DownloadLink {
  readonly url: string;
  /** ISO 8601 instant after which the link no longer works. */
  readonly expiresAt: string;
}

/** Issues download links: presigned S3 URLs in AWS, single-use local links in local mode. */
export interface DownloadLinks {
  create(file: ExportFileRef, expiresInSeconds: number): Promise<DownloadLink>;
}

/** The file names and media types of export files. */
export const EXPORT_FILES = {
  manifest: { name: 'manifest.json', contentType: 'application/json' },
  emails: { name: 'emails.csv', contentType: 'text/csv; charset=utf-8' },
  country: (country: string) => ({ name: `${country}.xml`, contentType: 'application/xml' }),
} as const;

/** The form of an export job id: `<yyyymmddThhmmssmmmZ>-<16 hex>` (sortable, URL and key safe). */
export const EXPORT_JOB_ID = /^\d{8}T\d{9}Z-[0-9a-f]{16}$/;

/**
 * A new job id: the request instant (so ids sort by time, newest last) and 64 random bits (hex).
 * `random` is 8 random bytes.
 */
export function exportJobId(at: Date, random: Uint8Array): string {
  if (random.length !== 8) throw new RangeError('An export job id takes 8 random bytes.');
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  let hex = '';
  for (const byte of random) hex += byte.toString(16).padStart(2, '0');
  return `${stamp}-${hex}`;
}

/** How long a run may go without a heartbeat before it is given up (`interrupted`). */
export const EXPORT_STALE_AFTER_MS = 2 * 60 * 1000;
/** How long an approved job may wait for its run to start before it is given up (`not_started`). */
export const EXPORT_START_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * Whether a job read at `now` is a run that died or one that never started: the reason to fail
 * it with, or undefined while it is healthy (or finished).
 */
export function staleReason(job: ExportJob, now: Date): 'interrupted' | 'not_started' | undefined {
  const age = (at: string | undefined) => now.getTime() - Date.parse(at ?? '');
  if (job.state === 'running' && !(age(job.heartbeatAt ?? job.startedAt) <= EXPORT_STALE_AFTER_MS)) {
    return 'interrupted';
  }
  if (job.state === 'approved' && !(age(job.approvedAt) <= EXPORT_START_TIMEOUT_MS)) return 'not_started';
  return undefined;
}

/** The outcome of checking an organiser's request body. */
export type BodyCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Field errors for members a body may not have (at most a few, never echoing values). */
function unknownMembers(body: Record<string, unknown>, allowed: readonly string[]): FieldError[] {
  return Object.keys(body)
    .filter((key) => !allowed.includes(key))
    .slice(0, 5)
    .map((field) => ({ field, code: 'not_allowed', message: 'This field is not part of the request.' }));
}

/**
 * The body of `POST /api/admin/exports`: `{ "countries": "all" }` or `{ "countries": [codes] }`,
 * codes as the EU writes them (`EL` for Greece), each once. All field errors at once.
 */
export function checkExportRequest(body: unknown): BodyCheck<ExportCountries> {
  if (!isRecord(body)) {
    return { ok: false, errors: [{ field: 'countries', code: 'required', message: 'Name the countries.' }] };
  }
  const errors = unknownMembers(body, ['countries']);
  const countries = body.countries;
  const bad = (code: FieldError['code'], message: string) =>
    errors.push({ field: 'countries', code, message });
  if (countries === undefined) bad('required', 'Name the countries: "all" or a list of Member State codes.');
  else if (countries !== 'all') {
    const codes = Array.isArray(countries) ? countries : [];
    const valid = codes.filter((c): c is MemberStateCode =>
      (MEMBER_STATES as readonly unknown[]).includes(c),
    );
    if (
      !Array.isArray(countries) ||
      codes.length === 0 ||
      valid.length !== codes.length ||
      new Set(valid).size !== valid.length
    ) {
      bad(
        'invalid_format',
        'Give "all" or a non-empty list of distinct EU Member State codes (e.g. "DE", "EL").',
      );
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: countries === 'all' ? 'all' : [...(countries as MemberStateCode[])].sort() };
}

/**
 * The file a download asks for (`{ "file": "DE" | "manifest" | "emails" }`), checked against the
 * job: a country file of a `statements` job, its manifest, or the file of an `emails` job.
 */
export function checkDownloadRequest(body: unknown, job: ExportJob): BodyCheck<ExportFileRef> {
  const field = 'file';
  if (!isRecord(body) || body.file === undefined) {
    return { ok: false, errors: [{ field, code: 'required', message: 'Name the file to download.' }] };
  }
  const errors = unknownMembers(body, [field]);
  const file = body.file;
  let ref: { name: string; contentType: string } | undefined;
  if (job.kind === 'emails' && file === 'emails') ref = EXPORT_FILES.emails;
  if (job.kind === 'statements' && file === 'manifest') ref = EXPORT_FILES.manifest;
  if (job.kind === 'statements' && (job.files ?? []).some((f) => f.country === file)) {
    ref = EXPORT_FILES.country(file as string);
  }
  if (!ref) {
    errors.push(
      typeof file === 'string' && /^[A-Za-z]{2,8}$/.test(file)
        ? { field, code: 'not_allowed', message: 'This export has no such file.' }
        : {
            field,
            code: 'invalid_format',
            message: 'Give a country code of the export, "manifest" or "emails".',
          },
    );
  }
  if (errors.length > 0 || !ref) return { ok: false, errors };
  return { ok: true, value: { exportId: job.id, ...ref } };
}
