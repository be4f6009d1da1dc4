/**
 * The organiser API's export bodies as they travel (docs/admin-api.md, Exports): what the console
 * sends and what the export routes answer. The handlers produce these types and the console reads
 * them, so the two cannot drift.
 */
import type { ExportFileSummary, ExportProgress } from '../export';
import type {
  EmailFileSummary,
  ExportJobFailure,
  ExportKind,
  ExportOrganiser,
  ExportState,
} from '../export-job';
import type { MemberStateCode } from '../statement';

/** `POST /api/admin/exports`: which Member States' files to write. */
export interface ExportRequestBody {
  readonly countries: 'all' | readonly MemberStateCode[];
}

/**
 * `POST /api/admin/exports/{id}/downloads`: a Member State's file (`"DE"`), `"manifest"`, or, for
 * an e-mail export, `"emails"`.
 */
export interface DownloadRequestBody {
  readonly file: string;
}

/**
 * One export, as every export route answers it (`POST` answers 202 with it, `approve` 200). The
 * contract's fields (`id`, `state`, `requestedBy`, `approvedBy`, `files`, `manifestSha256`) and
 * what the console shows besides: the kind, the countries, the times, the progress and, for a
 * failed export, the reason.
 */
export interface ExportView {
  readonly id: string;
  readonly kind: ExportKind;
  readonly state: ExportState;
  /** `statements` exports: `all` or the requested Member States; `emails` exports: null. */
  readonly countries: 'all' | readonly MemberStateCode[] | null;
  readonly requestedBy: ExportOrganiser;
  readonly requestedAt: string;
  readonly approvedBy: ExportOrganiser | null;
  readonly approvedAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Statements (or e-mail items) read and written so far; null until the run reports. */
  readonly progress: ExportProgress | null;
  /** The country files once `done` (in country-code order), else empty. */
  readonly files: readonly ExportFileSummary[];
  /** SHA-256 of `manifest.json` once a `statements` export is `done`, else null. */
  readonly manifestSha256: string | null;
  /** The e-mail file once an `emails` export is `done`, else null. */
  readonly emails: EmailFileSummary | null;
  /** Why a `failed` export failed (a stable code), else null. */
  readonly failure: ExportJobFailure | null;
}

/** `GET /api/admin/exports`: every export, newest first. */
export interface ExportList {
  readonly exports: readonly ExportView[];
}

/** `POST /api/admin/exports/{id}/downloads`: a short-lived link to one file. */
export interface DownloadLinkBody {
  readonly url: string;
  readonly expiresAt: string;
}
