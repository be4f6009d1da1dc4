import type { AuditEntry } from '@ocs/shared/audit';
import { routeOf } from '@ocs/shared/contract/routes';
import type { Initiative } from '@ocs/shared/initiative';
import type { MemberStateCode } from '@ocs/shared/statement';

/**
 * The console's client of the organiser API (docs/admin-api.md): same origin, JSON, the access
 * token as `Authorization: Bearer`. A 401 from any route calls `onUnauthenticated` (the console
 * goes back to sign-in with a message) and throws {@link UnauthenticatedError}; a 422 throws
 * {@link FieldErrorsError} with the field errors; any other failure {@link AdminApiError} with the
 * contract's stable code.
 */

export type Mode = 'test' | 'live';
export type CollectionState = 'not_started' | 'open' | 'paused' | 'closed';

export interface Me {
  readonly email: string;
  readonly sub: string;
}

export interface Destruction {
  readonly deadline: string;
  readonly rule: string;
}

/** `GET /api/admin/initiative`. */
export interface InitiativeState {
  readonly initiative: Initiative;
  readonly mode: Mode;
  readonly status: CollectionState;
  readonly submittedOn: string | null;
  readonly destruction: Destruction;
}

export interface DailyCount {
  readonly date: string;
  readonly count: number;
}

/** `GET /api/admin/dashboard`. */
export interface Dashboard {
  readonly total: number;
  readonly byCountry: Partial<Record<MemberStateCode, number>>;
  readonly countriesAtThreshold: number;
  readonly daily: readonly DailyCount[];
  readonly projectedGoalDate: string | null;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly chainValid: boolean;
}

export type ExportState = 'requested' | 'approved' | 'running' | 'done' | 'failed';

/** Who requested or approved: the contract names an organiser; the console accepts an e-mail, a sub or both. */
export type OrganiserRef = string | { readonly sub?: string; readonly email?: string | null } | null;

export interface ExportFile {
  readonly country: MemberStateCode;
  readonly statements: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ExportSummary {
  readonly id: string;
  readonly state: ExportState;
  readonly requestedBy: OrganiserRef;
  readonly approvedBy?: OrganiserRef;
  readonly requestedAt?: string;
  readonly countries?: readonly MemberStateCode[] | 'all';
  readonly files?: readonly ExportFile[];
  readonly manifestSha256?: string | null;
}

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: string;
}

export interface DestructionCertificate {
  readonly at: string;
  readonly deadline: string;
  readonly met: boolean;
  readonly statementsDestroyed: number;
  readonly emailsDestroyed: number;
  readonly exportsDestroyed: number;
}

/** `GET /api/admin/retention`. */
export interface Retention {
  readonly deadline: string;
  readonly rule: string;
  readonly lastRun: string | null;
  readonly certificates: readonly DestructionCertificate[];
  /** This system's additions: where the destruction stands, and the statement key's destruction. */
  readonly status?: 'scheduled' | 'destroying' | 'destroyed';
  readonly keyDestruction?: { readonly at: string; readonly deletionDate: string } | null;
}

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class AdminApiError extends Error {
  override readonly name: string = 'AdminApiError';
  constructor(
    readonly status: number,
    /** The contract's stable code (`live_locked`, `same_organiser`, ...), or `http_<status>`. */
    readonly code: string,
    message?: string,
  ) {
    super(message ?? `The organiser API answered ${status} (${code}).`);
  }
}

export class UnauthenticatedError extends AdminApiError {
  override readonly name = 'UnauthenticatedError';
  constructor() {
    super(401, 'unauthenticated');
  }
}

export class FieldErrorsError extends AdminApiError {
  override readonly name = 'FieldErrorsError';
  constructor(readonly errors: readonly FieldError[]) {
    super(422, errors[0]?.code ?? 'invalid');
  }
}

/** The admin API's paths (docs/admin-api.md). */
export const ADMIN_PATHS = {
  me: routeOf('getMe').path,
  initiative: routeOf('getAdminInitiative').path,
  goLive: routeOf('goLive').path,
  collection: routeOf('setCollection').path,
  submission: routeOf('recordSubmission').path,
  dashboard: routeOf('getDashboard').path,
  audit: routeOf('getAudit').path,
  exports: routeOf('requestExport').path,
  withdrawals: routeOf('adminWithdrawStatement').path,
  retention: routeOf('getRetention').path,
} as const;

/** `/api/admin/exports/{id}` and its sub-resources, the id encoded as one path segment. */
export function exportPath(id: string, action?: 'approve' | 'downloads'): string {
  return `${ADMIN_PATHS.exports}/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export interface AdminApiOptions {
  /** The current access token, or null when signed out. */
  readonly token: () => string | null;
  /** Called on any 401 (expired or refused token), before the error is thrown. */
  readonly onUnauthenticated: () => void;
  readonly fetch?: typeof fetch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Audit pages are read until one brings nothing new; this bounds a misbehaving server. */
const MAX_AUDIT_PAGES = 1000;

export class AdminApi {
  constructor(private readonly options: AdminApiOptions) {}

  private async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const token = this.options.token();
    if (!token) {
      this.options.onUnauthenticated();
      throw new UnauthenticatedError();
    }
    const fetchFn = this.options.fetch ?? fetch;
    const response = await fetchFn(path, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      credentials: 'omit',
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json().catch(() => null);
    if (response.status === 401) {
      this.options.onUnauthenticated();
      throw new UnauthenticatedError();
    }
    if (response.status === 422 && isObject(json) && Array.isArray(json.errors)) {
      throw new FieldErrorsError(json.errors.filter(isObject).map(toFieldError));
    }
    if (!response.ok) {
      const error = isObject(json) && isObject(json.error) ? json.error : {};
      const code = typeof error.code === 'string' ? error.code : `http_${response.status}`;
      throw new AdminApiError(
        response.status,
        code,
        typeof error.message === 'string' ? error.message : undefined,
      );
    }
    return json as T;
  }

  me(): Promise<Me> {
    return this.request('GET', ADMIN_PATHS.me);
  }

  initiative(): Promise<InitiativeState> {
    return this.request('GET', ADMIN_PATHS.initiative);
  }

  /** Replaces the whole initiative (PUT does not merge). */
  saveInitiative(initiative: Initiative): Promise<InitiativeState> {
    return this.request('PUT', ADMIN_PATHS.initiative, initiative);
  }

  goLive(registrationNumber: string): Promise<{ mode: Mode }> {
    return this.request('POST', ADMIN_PATHS.goLive, { confirm: registrationNumber });
  }

  collection(action: 'open' | 'pause'): Promise<{ status: CollectionState }> {
    return this.request('POST', ADMIN_PATHS.collection, { action });
  }

  recordSubmission(date: string): Promise<InitiativeState> {
    return this.request('POST', ADMIN_PATHS.submission, { date });
  }

  dashboard(): Promise<Dashboard> {
    return this.request('GET', ADMIN_PATHS.dashboard);
  }

  /** The whole trail: pages read with `?after=<last seq>` until one brings no new entry. */
  async audit(): Promise<AuditPage> {
    const entries: AuditEntry[] = [];
    let chainValid = true;
    for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
      const last = entries.at(-1)?.seq;
      const path = last === undefined ? ADMIN_PATHS.audit : `${ADMIN_PATHS.audit}?after=${last}`;
      const answer = await this.request<AuditPage>('GET', path);
      chainValid &&= answer.chainValid === true;
      const fresh = answer.entries.filter((entry) => last === undefined || entry.seq > last);
      if (fresh.length === 0) break;
      entries.push(...fresh);
    }
    return { entries, chainValid };
  }

  requestExport(countries: readonly MemberStateCode[] | 'all'): Promise<ExportSummary> {
    return this.request('POST', ADMIN_PATHS.exports, { countries });
  }

  approveExport(id: string): Promise<{ id: string; state: ExportState }> {
    return this.request('POST', exportPath(id, 'approve'));
  }

  exportDetails(id: string): Promise<ExportSummary> {
    return this.request('GET', exportPath(id));
  }

  async exports(): Promise<readonly ExportSummary[]> {
    const answer = await this.request<{ exports: ExportSummary[] }>('GET', ADMIN_PATHS.exports);
    return answer.exports;
  }

  /** A short-lived link to one file of an export (`DE`, ... or `manifest`). */
  downloadLink(id: string, file: MemberStateCode | 'manifest'): Promise<DownloadLink> {
    return this.request('POST', exportPath(id, 'downloads'), { file });
  }

  /** Always `{ status: "done" }`, whether or not a statement had the receipt. */
  withdraw(receipt: string): Promise<{ status: 'done' }> {
    return this.request('POST', ADMIN_PATHS.withdrawals, { receipt });
  }

  retention(): Promise<Retention> {
    return this.request('GET', ADMIN_PATHS.retention);
  }
}

function toFieldError(raw: Record<string, unknown>): FieldError {
  return {
    field: typeof raw.field === 'string' ? raw.field : '',
    code: typeof raw.code === 'string' ? raw.code : 'invalid',
    message: typeof raw.message === 'string' ? raw.message : '',
  };
}

/** Whether a `requestedBy` names this organiser (by sub or e-mail). */
export function isSameOrganiser(ref: OrganiserRef | undefined, me: Me | null): boolean {
  if (!ref || !me) return false;
  if (typeof ref === 'string') return ref === me.sub || ref.toLowerCase() === me.email.toLowerCase();
  return ref.sub === me.sub || (!!ref.email && ref.email.toLowerCase() === me.email.toLowerCase());
}

/** A `requestedBy` / `approvedBy` for display. */
export function organiserLabel(ref: OrganiserRef | undefined): string {
  if (!ref) return '';
  if (typeof ref === 'string') return ref;
  return ref.email ?? ref.sub ?? '';
}
