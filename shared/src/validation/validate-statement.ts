/**
 * validateStatement: the rules of POST /api/statements (docs/citizen-api.md, "Rules the server
 * applies"), run identically by the browser and the server.
 *
 * Input: any value (the parsed JSON body) and the signing day. Output: the normalised statement,
 * or every field error at once. Never throws for any input.
 *
 * Steps:
 * 1. The input must be a plain object (else one error on `$`).
 * 2. Nationality first: it decides the part (A or B), the minimum age and the documents.
 * 3. Unknown fields (and fields of the other part) are `not_allowed`.
 * 4. Each field's zod schema (`fields.ts`) checks the field on its own.
 * 5. Rules across fields: document number against its type (format, check digit, encoded birth
 *    date, age), postal code against the country of residence, e-mail against its consent.
 *
 * The `altcha` payload is never a field error: the challenge check (403) judges it, after this.
 */

import { checkPostalCode, postalCodeMayBeEmptyFor } from '../rulebook/countries';
import { EARLIEST_BIRTH_DATE, hasReachedAge, parseIsoDate } from '../rulebook/dates';
import { checkDocumentNumber } from '../rulebook/documents';
import { documentRule, MEMBER_STATE_RULES } from '../rulebook/member-states';
import type {
  DocumentType,
  FieldError,
  FieldErrorCode,
  MemberStateCode,
  PartAStatement,
  PartBStatement,
  StatementCommon,
  ValidationOptions,
  ValidationResult,
} from '../statement';
import {
  allowedFields,
  COMMON_FIELDS,
  checkNationality,
  FIELD_ORDER,
  PART_A_FIELDS,
  PART_B_FIELDS,
  type StatementField,
  statementShape,
} from './fields';
import { messageFor } from './messages';

/** The `field` of an error about the statement as a whole (not a JSON object). */
export const ROOT_FIELD = '$';
/** Unknown field names are echoed at most this long (then `…`), so a huge key is never returned. */
export const MAX_ECHOED_FIELD_NAME = 64;
/** At most this many `not_allowed` errors for unknown fields are reported. */
export const MAX_UNKNOWN_FIELD_ERRORS = 20;

const CONTRACT_FIELDS: ReadonlySet<string> = new Set<string>([
  ...COMMON_FIELDS,
  ...PART_A_FIELDS,
  ...PART_B_FIELDS,
]);

function fieldError(field: string, code: FieldErrorCode): FieldError {
  return { field, code, message: messageFor(field, code) };
}

/** A field name as sent, made safe to echo: control characters replaced, length capped. */
function echoFieldName(name: string): string {
  const printable = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
  const chars = Array.from(printable);
  return chars.length > MAX_ECHOED_FIELD_NAME
    ? `${chars.slice(0, MAX_ECHOED_FIELD_NAME).join('')}…`
    : printable;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertOptions(options: ValidationOptions): void {
  const today = options?.today;
  if (typeof today !== 'string' || typeof parseIsoDate(today) === 'string') {
    throw new RangeError('ValidationOptions.today must be a real date, YYYY-MM-DD (use signingDay(now)).');
  }
}

/**
 * Validates and normalises a statement of support.
 *
 * @param input the parsed request body, of any type
 * @param options `today`: the signing day (`signingDay(now)`); `requireTransportFields: false` lets
 *   the browser validate before it has a `submissionId` and an `altcha` payload (they are then `''`
 *   in the value when absent).
 * @throws RangeError only when `options.today` is not a real `YYYY-MM-DD` date (a programming error).
 */
export function validateStatement(input: unknown, options: ValidationOptions): ValidationResult {
  assertOptions(options);
  try {
    return validate(input, options);
  } catch {
    // A getter that throws or a proxy: not JSON, so not a statement.
    return { ok: false, errors: [fieldError(ROOT_FIELD, 'invalid_format')] };
  }
}

function validate(input: unknown, options: ValidationOptions): ValidationResult {
  if (!isRecord(input)) return { ok: false, errors: [fieldError(ROOT_FIELD, 'invalid_format')] };
  const raw = (field: string): unknown => (Object.hasOwn(input, field) ? input[field] : undefined);
  const today = options.today;
  const requireTransportFields = options.requireTransportFields !== false;

  const nationalityOutcome = checkNationality(raw('nationality'));
  const nationality = nationalityOutcome.ok ? nationalityOutcome.value : undefined;
  const shape: Record<
    string,
    { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }
  > = statementShape({ ...(nationality ? { nationality } : {}), today, requireTransportFields });

  const errors: FieldError[] = [];
  const values = new Map<StatementField, unknown>();
  const failed = new Set<StatementField>();

  for (const field of FIELD_ORDER) {
    const schema = shape[field];
    if (schema === undefined) continue;
    const result = schema.safeParse(raw(field));
    if (result.success) {
      values.set(field, result.data);
    } else {
      failed.add(field);
      errors.push(fieldError(field, issueCode(result.error)));
    }
  }

  const allowed: ReadonlySet<string> = new Set(nationality ? allowedFields(nationality) : COMMON_FIELDS);
  let unknownReported = 0;
  for (const key of Object.keys(input)) {
    if (allowed.has(key)) continue;
    // Without a nationality the part is unknown: its fields are neither checked nor refused.
    if (nationality === undefined && CONTRACT_FIELDS.has(key)) continue;
    if (unknownReported++ >= MAX_UNKNOWN_FIELD_ERRORS) break;
    errors.push(fieldError(echoFieldName(key), 'not_allowed'));
  }

  const report = (field: StatementField, code: FieldErrorCode) => {
    failed.add(field);
    errors.push(fieldError(field, code));
  };
  const value = <T>(field: StatementField): T | undefined =>
    failed.has(field) ? undefined : (values.get(field) as T | undefined);

  // E-mail and its consent go together.
  const email = value<string>('email');
  const emailConsent = value<boolean>('emailConsent');
  if (email !== undefined && emailConsent !== true && !failed.has('emailConsent'))
    report('emailConsent', 'required');
  if (emailConsent === true && email === undefined && !failed.has('email')) report('email', 'required');

  let partValues:
    | Omit<PartAStatement, keyof StatementCommon>
    | Omit<PartBStatement, keyof StatementCommon>
    | undefined;
  if (nationality !== undefined) {
    partValues =
      MEMBER_STATE_RULES[nationality].part === 'A'
        ? checkPartA(nationality, value, report)
        : checkPartB(nationality, value, report, today);
  }

  if (errors.length > 0 || nationality === undefined || partValues === undefined) {
    return { ok: false, errors: sortErrors(errors) };
  }

  const language = value<string>('language');
  const common: StatementCommon = {
    nationality,
    firstNames: value<string>('firstNames') ?? '',
    familyNames: value<string>('familyNames') ?? '',
    submissionId: value<string>('submissionId') ?? '',
    altcha: value<string>('altcha') ?? '',
    ...(language === undefined ? {} : { language }),
    ...(email !== undefined && emailConsent === true ? { email } : {}),
  };
  return { ok: true, value: { ...common, ...partValues } as PartAStatement | PartBStatement };
}

type ValueOf = <T>(field: StatementField) => T | undefined;
type Report = (field: StatementField, code: FieldErrorCode) => void;

function checkPartA(nationality: MemberStateCode, value: ValueOf, report: Report) {
  const country = value<string>('countryOfResidence');
  const typedPostalCode = value<string>('postalCode');
  let postal: { readonly postalCode: string; readonly confirmed: boolean } | undefined;
  if (typedPostalCode !== undefined && country !== undefined) {
    const check = checkPostalCode(typedPostalCode, country, {
      mayBeEmpty: postalCodeMayBeEmptyFor(MEMBER_STATE_RULES[nationality].iso, country),
      confirm: value<boolean>('confirmPostalCode') === true,
    });
    if (check.ok) postal = check;
    else report('postalCode', check.code);
  }
  const dateOfBirth = value<string>('dateOfBirth');
  const street = value<string>('street');
  const streetNumber = value<string>('streetNumber');
  const city = value<string>('city');
  if (
    dateOfBirth === undefined ||
    street === undefined ||
    streetNumber === undefined ||
    postal === undefined ||
    city === undefined ||
    country === undefined
  ) {
    return undefined;
  }
  return {
    part: 'A' as const,
    dateOfBirth,
    street,
    streetNumber,
    postalCode: postal.postalCode,
    postalCodeConfirmed: postal.confirmed,
    city,
    countryOfResidence: country,
  };
}

function checkPartB(nationality: MemberStateCode, value: ValueOf, report: Report, today: string) {
  const documentType = value<DocumentType>('documentType');
  const number = value<string>('documentNumber');
  const confirm = value<boolean>('confirmDocumentFormat');
  if (documentType === undefined || number === undefined) return undefined;
  const rule = documentRule(nationality, documentType);
  if (rule === undefined) return undefined;
  const check = checkDocumentNumber(rule, number, { today, confirmFormat: confirm === true });
  if (!check.ok) {
    report('documentNumber', check.code);
    return undefined;
  }
  if (check.birthDate !== undefined) {
    if (check.birthDate < EARLIEST_BIRTH_DATE || check.birthDate > today) {
      report('documentNumber', 'invalid_date');
      return undefined;
    }
    if (!hasReachedAge(check.birthDate, MEMBER_STATE_RULES[nationality].minAge, today)) {
      report('documentNumber', 'too_young');
      return undefined;
    }
  }
  return {
    part: 'B' as const,
    documentType,
    documentNumber: check.documentNumber,
    ...(check.birthDate === undefined ? {} : { birthDateFromDocument: check.birthDate }),
    formatConfirmed: check.formatConfirmed,
  };
}

/** The contract code carried by a field schema's issue. */
function issueCode(error: unknown): FieldErrorCode {
  const issues = (error as { issues?: readonly { params?: { code?: FieldErrorCode } }[] } | undefined)
    ?.issues;
  return issues?.[0]?.params?.code ?? 'invalid_format';
}

const FIELD_RANK: ReadonlyMap<string, number> = new Map(FIELD_ORDER.map((f, i) => [f, i]));

/** Errors in display order; unknown fields last, in the order they were sent. */
function sortErrors(errors: readonly FieldError[]): FieldError[] {
  return errors
    .map((e, i) => ({ e, i, rank: FIELD_RANK.get(e.field) ?? FIELD_ORDER.length }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * Validates one field as the citizen types: runs `validateStatement` on the partial statement with
 * `requireTransportFields: false` and keeps the errors of that field. Cross-field rules apply
 * (a document number is checked against the chosen type, a postal code against the chosen
 * country). Returns `undefined` when the field is fine so far.
 */
export function validateField(
  field: StatementField,
  partial: Readonly<Record<string, unknown>>,
  options: Pick<ValidationOptions, 'today'>,
): FieldError | undefined {
  const result = validateStatement(partial, { today: options.today, requireTransportFields: false });
  return result.ok ? undefined : result.errors.find((e) => e.field === field);
}
