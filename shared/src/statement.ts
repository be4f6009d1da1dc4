/**
 * The statement of support as the Citizen API carries it (docs/citizen-api.md, POST /api/statements),
 * and the vocabulary shared by the rulebook, the server and the browser.
 * This module holds types and constants only; the rules live in `rulebook/` and `validation/`.
 */

/** EU Member State codes as the EU writes them (`EL` for Greece, not `GR`), in protocol order. */
export const MEMBER_STATES = [
  'BE',
  'BG',
  'CZ',
  'DK',
  'DE',
  'EE',
  'IE',
  'EL',
  'ES',
  'FR',
  'HR',
  'IT',
  'CY',
  'LV',
  'LT',
  'LU',
  'HU',
  'MT',
  'NL',
  'AT',
  'PL',
  'PT',
  'RO',
  'SI',
  'SK',
  'FI',
  'SE',
] as const;

export type MemberStateCode = (typeof MEMBER_STATES)[number];

/** Annex III part: A = residence and date of birth, B = personal number or identity document. */
export type AnnexPart = 'A' | 'B';

/** Document types of the Citizen API (Part B). Each country accepts only some of them. */
export const DOCUMENT_TYPES = ['passport', 'idCard', 'personalNumber', 'citizensCard'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Field error codes of the contract; stable, never renamed. */
export const FIELD_ERROR_CODES = [
  'required',
  'not_allowed',
  'invalid_format',
  'invalid_checksum',
  'format_unconfirmed',
  'invalid_date',
  'too_young',
  'too_long',
  'invalid_characters',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/**
 * One field error. `message` is English, human and generic: it never repeats the submitted value,
 * so it is safe to log and to return.
 */
export interface FieldError {
  readonly field: string;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/** Fields every statement carries, after validation and normalisation (trimmed, NFKC). */
export interface StatementCommon {
  readonly nationality: MemberStateCode;
  readonly firstNames: string;
  readonly familyNames: string;
  /** Client-generated UUID, lower case; retries reuse it. */
  readonly submissionId: string;
  /** The ALTCHA payload as submitted (base64 JSON); verified by the server, never stored. */
  readonly altcha: string;
  readonly language?: string;
  /** Present only with `emailConsent: true`; stored apart from the statement. */
  readonly email?: string;
}

/** Part A statement: residence address and date of birth. */
export interface PartAStatement extends StatementCommon {
  readonly part: 'A';
  /** `YYYY-MM-DD`, a real past date. */
  readonly dateOfBirth: string;
  readonly street: string;
  /** May be empty where the address has no number. */
  readonly streetNumber: string;
  /**
   * Without its country prefix (`D-10115` is stored `10115`). May be empty for IE only (Irish
   * citizens, residents of Ireland).
   */
  readonly postalCode: string;
  /**
   * True when the citizen confirmed a postal code of an unusual format (`confirmPostalCode`);
   * `validateStatement` always sets it.
   */
  readonly postalCodeConfirmed?: boolean;
  readonly city: string;
  /** ISO 3166-1 alpha-2, upper case; `EL` is stored as `GR`. */
  readonly countryOfResidence: string;
}

/** Part B statement: one personal number or identity document number. */
export interface PartBStatement extends StatementCommon {
  readonly part: 'B';
  readonly documentType: DocumentType;
  /** Normalised: separators removed, letters upper case. */
  readonly documentNumber: string;
  /** `YYYY-MM-DD` when the number encodes a birth date (BE, BG, EE, LT, LV before 2017, PL, RO, SE, SI). */
  readonly birthDateFromDocument?: string;
  /** True when the citizen confirmed an unusual passport / ID-card number format. */
  readonly formatConfirmed: boolean;
}

export type ValidStatement = PartAStatement | PartBStatement;

export type ValidationResult =
  | { readonly ok: true; readonly value: ValidStatement }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export interface ValidationOptions {
  /**
   * The signing day, `YYYY-MM-DD`. The server passes `signingDay(now)` (see rulebook), so the
   * browser and the server agree on the age check.
   */
  readonly today: string;
  /**
   * When false, `submissionId` is not required (the browser validates as the citizen types,
   * before it has one). Defaults to true. (`altcha` is never a field error: see `validateStatement`.)
   */
  readonly requireTransportFields?: boolean;
}
