/**
 * The citizen API's bodies as they travel (docs/citizen-api.md): what `GET /api/initiative`,
 * `GET /api/progress` and `POST /api/statements` answer, what the browser sends, and the error
 * shapes. The handlers produce these types and the browser client reads them, so the two cannot
 * drift. The request body of `POST /api/statements` is checked by `validateStatement`
 * (`shared/src/validation`), whose field list is the one below.
 */
import type { CollectionStatus, InitiativeMode } from '../initiative';
import type { FieldError, MemberStateCode } from '../statement';

/** Bodies above this many bytes are refused with 413 `too_large`. */
export const MAX_BODY_BYTES = 16 * 1024;

/** One language's texts of the initiative. */
export interface InitiativeContent {
  readonly title: string;
  readonly objectives: string;
  readonly annex?: string;
  readonly website?: string;
}

/** `GET /api/initiative`: the initiative's public facts. */
export interface PublicInitiative {
  readonly registrationNumber: string;
  readonly languages: readonly string[];
  /** By language code; English is always present. */
  readonly content: Readonly<Record<string, InitiativeContent | undefined>>;
  readonly organisers: readonly { readonly name: string; readonly country: string }[];
  readonly registerUrl: string;
  readonly collection: { readonly status: CollectionStatus; readonly start: string; readonly end: string };
  /** Scope of a partial registration, when the registration is partial. */
  readonly partialRegistration?: string;
  /** Link to the certificate of conformity of this system, once issued. */
  readonly certificateUrl?: string;
  /** Who answers data-protection questions on the organisers' behalf. */
  readonly dataProtectionContact: { readonly name: string; readonly email: string };
  /**
   * `test` until the organisers go live: statements are then test statements, counted apart and
   * deleted at go-live, and the pages say so.
   */
  readonly mode: InitiativeMode;
  /**
   * When the collection's personal data (statements, e-mail addresses, exports) will be destroyed,
   * at the latest: the earliest deadline that applies (a Brussels date, `YYYY-MM-DD`). It moves
   * earlier once the initiative is submitted to the Commission.
   */
  readonly destruction: { readonly deadline: string };
}

/** One Member State's count and its Annex I threshold. */
export interface CountryProgress {
  readonly count: number;
  readonly threshold: number;
}

/** `GET /api/progress`: all 27 Member States, zero counts included. */
export interface Progress {
  readonly total: number;
  readonly countries: Readonly<Record<MemberStateCode, CountryProgress>>;
  readonly countriesAtThreshold: number;
  /** When the figures were read (ISO 8601). */
  readonly updatedAt: string;
}

/** `POST /api/statements`: the request body, exactly the contract's fields. */
export interface StatementRequest {
  readonly nationality: string;
  readonly firstNames: string;
  readonly familyNames: string;
  readonly dateOfBirth?: string;
  readonly street?: string;
  readonly streetNumber?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly countryOfResidence?: string;
  readonly documentType?: string;
  readonly documentNumber?: string;
  readonly certify: boolean;
  readonly privacyStatement: boolean;
  readonly confirmDocumentFormat?: boolean;
  readonly confirmPostalCode?: boolean;
  readonly submissionId: string;
  readonly altcha: string;
  readonly language?: string;
  readonly email?: string;
  readonly emailConsent?: boolean;
}

/** `POST /api/statements`: 201 for a new statement, 200 with the same body for a retry. */
export interface StatementReceipt {
  readonly receipt: string;
  readonly submittedAt: string;
}

/** The stable codes of `{ error: { code } }` answers. */
export type ErrorCode =
  | 'malformed_json'
  | 'too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'challenge_failed'
  | 'collection_not_open'
  | 'already_signed'
  | 'rate_limited'
  | 'unavailable'
  | 'internal_error'
  /** Organiser routes only: no valid organiser access token. */
  | 'unauthenticated'
  /** Organiser routes: an organiser approved an export they requested themselves (dual control). */
  | 'same_organiser'
  /** Organiser routes: the export is not in the state the action needs. */
  | 'invalid_state'
  /** Organiser routes: the data an export would read are past their retention deadline. */
  | 'retention_over';

/** Every refusal but field errors. A 500 carries the request id, for the operator. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly requestId?: string };
}

/** 422: every field error at once. */
export interface FieldErrorsBody {
  readonly errors: readonly FieldError[];
}
