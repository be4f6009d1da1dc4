/**
 * The organiser API's bodies as they travel (docs/admin-api.md): what the console sends to the
 * `/api/admin/*` routes and what they answer, and the schemas of the request bodies, so the
 * console and the functions check a body with the same code. Errors have the citizen API's
 * shapes (`ErrorBody`, `FieldErrorsBody`), with the codes below added.
 */
import * as z from 'zod';
import type { AuditEntry } from '../audit';
import type {
  Initiative,
  InitiativeMode,
  InitiativeUpdate,
  OrganiserCollectionStatus,
  RegisteredFact,
} from '../initiative';
import type { DestructionCertificate, DestructionDeadline, DestructionRule } from '../retention';
import { FIELD_ERROR_CODES, type MemberStateCode } from '../statement';

/** `{ error: { code } }` codes of the organiser routes, beside the citizen API's. */
export type AdminErrorCode =
  /** PUT /api/admin/initiative changed a registered fact after go-live (409). */
  | 'live_locked'
  /** POST /api/admin/go-live on a live initiative (409). */
  | 'already_live'
  /** POST /api/admin/go-live with a confirmation that is not the registration number (422). */
  | 'wrong_confirmation';

/** Field error codes of the organiser routes: the citizen API's, and the go-live confirmation's. */
export const ADMIN_FIELD_ERROR_CODES = [...FIELD_ERROR_CODES, 'wrong_confirmation'] as const;
export type AdminFieldErrorCode = (typeof ADMIN_FIELD_ERROR_CODES)[number];

/** One field error of an organiser route; `field` is a dotted path (`content.en.title`, `organisers.0.name`). */
export interface AdminFieldError {
  readonly field: string;
  readonly code: AdminFieldErrorCode;
  readonly message: string;
}

/** `GET /api/admin/me`: who is signed in, from the verified access token. */
export interface MeResponse {
  readonly email: string;
  readonly sub: string;
}

/** `GET /api/admin/initiative`, and the answer of every route that changes the initiative. */
export interface AdminInitiative {
  /** The initiative as stored: the schema of the deploy-time initiative file. */
  readonly initiative: Initiative;
  readonly mode: InitiativeMode;
  readonly status: OrganiserCollectionStatus;
  /** The date the initiative was submitted to the Commission, or null. */
  readonly submittedOn: string | null;
  /** When the statements must be destroyed, and which rule says so. */
  readonly destruction: DestructionDeadline;
}

/** `PUT /api/admin/initiative`: the whole initiative (`collection.enabled` optional, not applied). */
export type UpdateInitiativeRequest = InitiativeUpdate;

/** The body of a 409 `live_locked`: which registered facts the request tried to change. */
export interface LiveLockedBody {
  readonly error: {
    readonly code: 'live_locked';
    readonly message: string;
    readonly fields: readonly RegisteredFact[];
  };
}

export const goLiveRequestSchema = z.strictObject({
  /** The registration number, typed by the organiser as confirmation. */
  confirm: z.string().max(64),
});
export type GoLiveRequest = z.infer<typeof goLiveRequestSchema>;
export interface GoLiveResponse {
  readonly mode: 'live';
}

export const COLLECTION_ACTIONS = ['open', 'pause'] as const;
export const collectionRequestSchema = z.strictObject({ action: z.enum(COLLECTION_ACTIONS) });
export type CollectionRequest = z.infer<typeof collectionRequestSchema>;
export interface CollectionResponse {
  readonly status: OrganiserCollectionStatus;
}

export const submissionRequestSchema = z.strictObject({
  /** The date the initiative was submitted to the Commission (Brussels date). */
  date: z.iso.date(),
});
export type SubmissionRequest = z.infer<typeof submissionRequestSchema>;

/** One day of the dashboard's chart: statements counted that day (Brussels date). */
export interface DailyCount {
  readonly date: string;
  readonly count: number;
}

/** `GET /api/admin/dashboard`: counts of the current mode (test statements in test mode). */
export interface Dashboard {
  readonly total: number;
  /** All 27 Member States, zero counts included. */
  readonly byCountry: Readonly<Record<MemberStateCode, number>>;
  readonly countriesAtThreshold: number;
  /** One entry per day from the first counted statement to today, zero days included. */
  readonly daily: readonly DailyCount[];
  /**
   * The day both conditions of Art. 3(1) are met (1,000,000 signatories, 7 Member States at
   * their threshold): the day it happened, or the day the current rate reaches it; null when
   * the rate never does before the collection ends.
   */
  readonly projectedGoalDate: string | null;
}

/** `GET /api/admin/audit?after=<seq>`. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Whether the whole chain verifies, from its first entry. */
  readonly chainValid: boolean;
}

/** `GET /api/admin/retention`: the deadline, the job's last run, the destruction certificates. */
export interface RetentionStatus {
  readonly deadline: string;
  readonly rule: DestructionRule;
  /** When the destruction job last ran to its end, or null. */
  readonly lastRun: string | null;
  /** Oldest first; normally one, once the deadline has come. */
  readonly certificates: readonly DestructionCertificate[];
  /**
   * `scheduled` before the deadline; `destroying` while a destruction is under way; `destroyed`
   * once a certificate is in the trail.
   */
  readonly status: 'scheduled' | 'destroying' | 'destroyed';
  /** When the statement key was destroyed and when it is gone for good (KMS), or null. */
  readonly keyDestruction: { readonly at: string; readonly deletionDate: string } | null;
}

/** The query of `GET /api/admin/audit` (other parameters, such as a cache buster, are ignored). */
export const auditQuerySchema = z.object({
  /** Entries with a larger seq; 0 (everything) when absent. */
  after: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number)
    .optional(),
});

const GENERIC_MESSAGES: Readonly<Record<AdminFieldErrorCode, string>> = {
  required: 'This field is required.',
  not_allowed: 'This field or value is not allowed here.',
  invalid_format: 'This value does not have the expected format.',
  invalid_checksum: 'This value fails its check.',
  format_unconfirmed: 'This value does not have a known format.',
  invalid_date: 'This is not a valid date here.',
  too_young: 'Too young.',
  too_long: 'This value is too long.',
  invalid_characters: 'This value contains characters that are not allowed (markup or control characters).',
  wrong_confirmation: 'The confirmation does not match.',
};

const isAdminCode = (code: unknown): code is AdminFieldErrorCode =>
  typeof code === 'string' && (ADMIN_FIELD_ERROR_CODES as readonly string[]).includes(code);

function codeOf(issue: z.core.$ZodIssue): AdminFieldErrorCode {
  switch (issue.code) {
    case 'custom':
      return isAdminCode(issue.params?.code) ? issue.params.code : 'invalid_format';
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalid_format';
    case 'too_small':
      return 'required';
    case 'too_big':
      return 'too_long';
    case 'invalid_format':
      return issue.format === 'date' ? 'invalid_date' : 'invalid_format';
    case 'invalid_value':
    case 'unrecognized_keys':
    case 'invalid_key':
      return 'not_allowed';
    default:
      return 'invalid_format';
  }
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * The field errors of a failed zod parse, in the contract's shape: dotted paths, the contract's
 * codes, and our own messages (custom checks keep theirs): never a message that could echo the
 * value sent. An unknown key is an error on that key's own path. One error per field.
 */
export function fieldErrorsFromZod(error: z.ZodError): AdminFieldError[] {
  const errors: AdminFieldError[] = [];
  const seen = new Set<string>();
  const add = (field: string, code: AdminFieldErrorCode, message: string) => {
    if (seen.has(field)) return;
    seen.add(field);
    errors.push({ field: field || '(body)', code, message });
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        add(dotted([...issue.path, key]), 'not_allowed', GENERIC_MESSAGES.not_allowed);
      continue;
    }
    const code = codeOf(issue);
    add(dotted(issue.path), code, issue.code === 'custom' ? issue.message : GENERIC_MESSAGES[code]);
  }
  return errors;
}
