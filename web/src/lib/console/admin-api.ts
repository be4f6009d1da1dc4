import type { AuditEntry } from '@ocs/shared/audit';
import type {
  AdminFieldError,
  AdminFieldErrorCode,
  AdminInitiative,
  AuditPage,
  CollectionResponse,
  Dashboard,
  GoLiveResponse,
  MeResponse,
  RetentionStatus,
  UpdateInitiativeRequest,
} from '@ocs/shared/contract/admin-api';
import type {
  DownloadLinkBody,
  ExportList,
  ExportRequestBody,
  ExportView,
} from '@ocs/shared/contract/exports-api';
import { routeOf } from '@ocs/shared/contract/routes';
import type { ExportOrganiser } from '@ocs/shared/export-job';
import type { RegisteredFact } from '@ocs/shared/initiative';
import type { MemberStateCode } from '@ocs/shared/statement';

/**
 * The console's client of the organiser API (docs/admin-api.md): same origin, JSON, the access
 * token as `Authorization: Bearer`. The bodies are the contract's types of `@ocs/shared/contract`
 * (the ones the handlers answer with). A 401 from any route calls `onUnauthenticated` (the console
 * goes back to sign-in with a message) and throws {@link UnauthenticatedError}; a 422 with field
 * errors throws {@link FieldErrorsError}; a 409 `live_locked` {@link LiveLockedError} with the
 * registered facts it names; any other failure {@link AdminApiError} with the contract's stable code.
 */

/** One file of an export a link can be asked for: a Member State's file, the manifest, the e-mails. */
export type ExportFileKey = MemberStateCode | 'manifest' | 'emails';

/** `GET /api/admin/retention`: the contract's type, as the handler answers it. */
export type Retention = RetentionStatus;

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
  constructor(readonly errors: readonly AdminFieldError[]) {
    super(422, errors[0]?.code ?? 'invalid');
  }
}

/** 409 `live_locked`: the initiative is live, and the request changed these registered facts. */
export class LiveLockedError extends AdminApiError {
  override readonly name = 'LiveLockedError';
  constructor(
    readonly fields: readonly RegisteredFact[],
    message?: string,
  ) {
    super(409, 'live_locked', message);
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
  emailExports: routeOf('requestEmailExport').path,
  withdrawals: routeOf('adminWithdrawStatement').path,
  retention: routeOf('getRetention').path,
} as const;

/** A route path of the table with its `{id}` filled in, encoded as one path segment. */
function withId(path: string, id: string): string {
  return path.replace('{id}', encodeURIComponent(id));
}

/** `/api/admin/exports/{id}` and its sub-resources, from the route table. */
export function exportPath(id: string, action?: 'approve' | 'downloads'): string {
  const handler =
    action === 'approve' ? 'approveExport' : action === 'downloads' ? 'createExportDownload' : 'getExport';
  return withId(routeOf(handler).path, id);
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

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The error an answer that is not a success stands for (the contract's shapes, docs/admin-api.md). */
function errorOf(status: number, json: unknown): AdminApiError {
  // A 422 may carry both shapes (`wrong_confirmation`): the field errors win, their code is the same.
  if (status === 422 && isObject(json) && Array.isArray(json.errors)) {
    return new FieldErrorsError(json.errors.filter(isObject).map(toFieldError));
  }
  const error = isObject(json) && isObject(json.error) ? json.error : {};
  const code = text(error.code) ?? `http_${status}`;
  const message = text(error.message);
  if (code === 'live_locked') {
    const fields = Array.isArray(error.fields) ? error.fields.filter((f) => typeof f === 'string') : [];
    return new LiveLockedError(fields as RegisteredFact[], message);
  }
  return new AdminApiError(status, code, message);
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
    if (!response.ok) throw errorOf(response.status, json);
    return json as T;
  }

  me(): Promise<MeResponse> {
    return this.request('GET', ADMIN_PATHS.me);
  }

  initiative(): Promise<AdminInitiative> {
    return this.request('GET', ADMIN_PATHS.initiative);
  }

  /** Replaces the whole initiative (PUT does not merge). */
  saveInitiative(initiative: UpdateInitiativeRequest): Promise<AdminInitiative> {
    return this.request('PUT', ADMIN_PATHS.initiative, initiative);
  }

  goLive(registrationNumber: string): Promise<GoLiveResponse> {
    return this.request('POST', ADMIN_PATHS.goLive, { confirm: registrationNumber });
  }

  collection(action: 'open' | 'pause'): Promise<CollectionResponse> {
    return this.request('POST', ADMIN_PATHS.collection, { action });
  }

  recordSubmission(date: string): Promise<AdminInitiative> {
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

  requestExport(countries: ExportRequestBody['countries']): Promise<ExportView> {
    const body: ExportRequestBody = { countries };
    return this.request('POST', ADMIN_PATHS.exports, body);
  }

  /** An export of the e-mail addresses given for updates (approved like any export). */
  requestEmailExport(): Promise<ExportView> {
    return this.request('POST', ADMIN_PATHS.emailExports, {});
  }

  approveExport(id: string): Promise<ExportView> {
    return this.request('POST', exportPath(id, 'approve'));
  }

  exportDetails(id: string): Promise<ExportView> {
    return this.request('GET', exportPath(id));
  }

  async exports(): Promise<readonly ExportView[]> {
    const answer = await this.request<ExportList>('GET', ADMIN_PATHS.exports);
    return answer.exports;
  }

  /** A short-lived link to one file of an export (`DE`, ..., `manifest` or `emails`). */
  downloadLink(id: string, file: ExportFileKey): Promise<DownloadLinkBody> {
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

function toFieldError(raw: Record<string, unknown>): AdminFieldError {
  return {
    field: text(raw.field) ?? '',
    // A code this console does not know is shown with the server's message (initiative-form.ts).
    code: (text(raw.code) ?? 'invalid_format') as AdminFieldErrorCode,
    message: text(raw.message) ?? '',
  };
}

/** Whether an export was requested by the signed-in organiser (dual control compares the `sub`). */
export function isSameOrganiser(ref: ExportOrganiser | null, me: MeResponse | null): boolean {
  return !!ref && !!me && ref.sub === me.sub;
}
