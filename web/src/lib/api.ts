import type {
  Progress,
  PublicInitiative,
  StatementReceipt,
  StatementRequest,
} from '@ocs/shared/contract/citizen-api';
import { routeOf } from '@ocs/shared/contract/routes';
import type { WithdrawalRequest } from '@ocs/shared/contract/withdrawal';
import type { FieldError } from '@ocs/shared/statement';

/**
 * The browser's client of the Citizen API (docs/citizen-api.md): same origin, JSON. Paths and
 * body types come from the shared contract. Responses are checked for the shape the pages rely
 * on; nothing is sent but the contract fields.
 */

export type {
  CountryProgress,
  InitiativeContent,
  Progress,
  PublicInitiative,
  StatementRequest,
} from '@ocs/shared/contract/citizen-api';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: number) {
    super(`The API answered ${status}.`);
  }
}

type Fetch = typeof fetch;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function getJson(fetchFn: Fetch, path: string): Promise<unknown> {
  const response = await fetchFn(path, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (!response.ok) throw new ApiError(response.status);
  return response.json();
}

export async function fetchInitiative(fetchFn: Fetch = fetch): Promise<PublicInitiative> {
  const body = await getJson(fetchFn, routeOf('getInitiative').path);
  if (!isObject(body) || typeof body.registrationNumber !== 'string' || !isObject(body.content)) {
    throw new ApiError(502);
  }
  return body as unknown as PublicInitiative;
}

export async function fetchProgress(fetchFn: Fetch = fetch): Promise<Progress> {
  const body = await getJson(fetchFn, routeOf('getProgress').path);
  if (!isObject(body) || typeof body.total !== 'number' || !isObject(body.countries)) throw new ApiError(502);
  return body as unknown as Progress;
}

export type SubmitOutcome =
  | ({ readonly kind: 'stored' } & StatementReceipt)
  | { readonly kind: 'field_errors'; readonly errors: readonly FieldError[] }
  | { readonly kind: 'challenge_failed' }
  | { readonly kind: 'collection_not_open' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'rejected'; readonly code: string };

export interface SubmitOptions {
  readonly fetch?: Fetch;
  /** Waits between attempts; tests pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts in all for 503, 429 and network failures (the same body, so the same `submissionId`). */
  readonly attempts?: number;
  /** A fresh ALTCHA payload, for one more attempt when the server refused the first one. */
  readonly freshChallenge?: () => Promise<string | null>;
  /** Told before each retry, for the live status message. */
  readonly onRetry?: (attempt: number, attempts: number) => void;
}

const RETRY_AFTER_CAP_MS = 10_000;

function retryDelay(response: Response | null, attempt: number): number {
  const header = response?.headers.get('retry-after');
  const seconds = header !== null && header !== undefined ? Number(header) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, RETRY_AFTER_CAP_MS);
  return Math.min(1000 * 2 ** (attempt - 1), RETRY_AFTER_CAP_MS);
}

function errorCode(body: unknown): string {
  if (isObject(body) && isObject(body.error) && typeof body.error.code === 'string') return body.error.code;
  return 'unknown';
}

/** The last answer of a retried POST, its JSON parsed; `response` null when it never got one. */
interface Posted {
  readonly response: Response | null;
  readonly json: unknown;
}

/**
 * POSTs a JSON body that carries a proof of work (`altcha`). Retries a 503, a 429 or a network
 * failure with the same body (the server answers a retry alike), and asks once for a fresh proof
 * of work when the server refused the payload (403 challenge_failed). Answers the last response.
 */
async function postWithProof<B extends { readonly altcha: string }>(
  path: string,
  request: B,
  options: SubmitOptions,
): Promise<Posted> {
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.attempts ?? 4;
  let body = request;
  let refreshedChallenge = false;

  for (let attempt = 1; ; attempt++) {
    let response: Response | null = null;
    try {
      response = await fetchFn(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(body),
      });
    } catch {
      response = null;
    }

    const retryable = response === null || response.status === 503 || response.status === 429;
    if (retryable) {
      if (attempt >= attempts) return { response: null, json: null };
      options.onRetry?.(attempt + 1, attempts);
      await sleep(retryDelay(response, attempt));
      continue;
    }

    const json: unknown = await response?.json().catch(() => null);
    if (errorCode(json) === 'challenge_failed' && !refreshedChallenge && options.freshChallenge) {
      const fresh = await options.freshChallenge();
      if (fresh) {
        refreshedChallenge = true;
        body = { ...body, altcha: fresh };
        continue;
      }
    }
    return { response, json };
  }
}

/**
 * POST /api/statements. Retries a 503, a 429 or a network failure with the same body (so the
 * same `submissionId`: the server answers a retry with its first receipt), and asks once for a
 * fresh proof of work when the server refused the payload. `stored` means received (201/200):
 * the server answers a person who already supports the initiative exactly alike, by design.
 */
export async function submitStatement(
  request: StatementRequest,
  options: SubmitOptions = {},
): Promise<SubmitOutcome> {
  const { response, json } = await postWithProof(routeOf('submitStatement').path, request, options);
  if (!response) return { kind: 'unavailable' };
  if (response.status === 200 || response.status === 201) {
    if (isObject(json) && typeof json.receipt === 'string') {
      return {
        kind: 'stored',
        receipt: json.receipt,
        submittedAt: typeof json.submittedAt === 'string' ? json.submittedAt : new Date().toISOString(),
      };
    }
    return { kind: 'rejected', code: 'bad_response' };
  }
  if (response.status === 422 && isObject(json) && Array.isArray(json.errors)) {
    return { kind: 'field_errors', errors: json.errors as FieldError[] };
  }
  const code = errorCode(json);
  if (code === 'collection_not_open') return { kind: 'collection_not_open' };
  if (code === 'challenge_failed') return { kind: 'challenge_failed' };
  return { kind: 'rejected', code: `${response.status} ${code}` };
}

export type WithdrawOutcome =
  /** `200 { status: "done" }`: the same whether or not a statement had the receipt, by design. */
  | { readonly kind: 'done' }
  | { readonly kind: 'invalid_receipt' }
  | { readonly kind: 'challenge_failed' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'rejected'; readonly code: string };

/**
 * POST /api/withdrawals `{ receipt, altcha }`, with the retries of a statement. `done` says only
 * that the request was processed: never whether a statement had the receipt.
 */
export async function withdrawStatement(
  request: WithdrawalRequest & { readonly altcha: string },
  options: SubmitOptions = {},
): Promise<WithdrawOutcome> {
  const { response, json } = await postWithProof(routeOf('withdrawStatement').path, request, options);
  if (!response) return { kind: 'unavailable' };
  if (response.status === 200 && isObject(json) && json.status === 'done') return { kind: 'done' };
  if (response.status === 422) return { kind: 'invalid_receipt' };
  const code = errorCode(json);
  if (code === 'challenge_failed') return { kind: 'challenge_failed' };
  return { kind: 'rejected', code: `${response.status} ${code}` };
}
