/**
 * The fields of a statement: which part uses which, their limits and character rules, and one zod
 * schema per field. Each field schema checks one value on its own (type, trimming, length,
 * characters, shape) and reports the contract's error code in `issue.params.code`; the rules that
 * need two fields (a document number and its type, a postal code and the country of residence,
 * an e-mail and its consent) run afterwards, in `validate-statement.ts`.
 */
import * as z from 'zod';
import { EU_LANGUAGES } from '../initiative';
import { normaliseText } from '../normalise';
import { normaliseCountryOfResidence } from '../rulebook/countries';
import { EARLIEST_BIRTH_DATE, hasReachedAge, parseIsoDate } from '../rulebook/dates';
import { MEMBER_STATE_RULES } from '../rulebook/member-states';
import { TEXT_RULES } from '../rulebook/text';
import type { TextRule } from '../rulebook/types';
import { type DocumentType, type FieldErrorCode, MEMBER_STATES, type MemberStateCode } from '../statement';

/** Fields every statement carries, whatever the nationality. */
export const COMMON_FIELDS = [
  'nationality',
  'firstNames',
  'familyNames',
  'certify',
  'privacyStatement',
  'confirmDocumentFormat',
  'confirmPostalCode',
  'submissionId',
  'altcha',
  'language',
  'email',
  'emailConsent',
] as const;
/** Part A fields (residence and date of birth). */
export const PART_A_FIELDS = [
  'dateOfBirth',
  'street',
  'streetNumber',
  'postalCode',
  'city',
  'countryOfResidence',
] as const;
/** Part B fields (one personal number or document). */
export const PART_B_FIELDS = ['documentType', 'documentNumber'] as const;

export type CommonField = (typeof COMMON_FIELDS)[number];
export type PartAField = (typeof PART_A_FIELDS)[number];
export type PartBField = (typeof PART_B_FIELDS)[number];
export type StatementField = CommonField | PartAField | PartBField;

/** Every field of the contract, in display order (the order errors are reported in). */
export const FIELD_ORDER: readonly StatementField[] = [
  'nationality',
  'firstNames',
  'familyNames',
  'dateOfBirth',
  'street',
  'streetNumber',
  'postalCode',
  'confirmPostalCode',
  'city',
  'countryOfResidence',
  'documentType',
  'documentNumber',
  'confirmDocumentFormat',
  'certify',
  'privacyStatement',
  'email',
  'emailConsent',
  'language',
  'submissionId',
  'altcha',
];

/** Maximum lengths (in Unicode code points, after trimming and NFKC) of the free-text fields. */
export const FIELD_MAX_LENGTHS = {
  firstNames: TEXT_RULES.firstNames.max,
  familyNames: TEXT_RULES.familyNames.max,
  street: TEXT_RULES.street.max,
  streetNumber: TEXT_RULES.streetNumber.max,
  postalCode: TEXT_RULES.postalCode.max,
  city: TEXT_RULES.city.max,
  documentNumber: 40,
  email: 254,
} as const satisfies Partial<Record<StatementField, number>>;

/**
 * A raw string longer than this is `too_long` before any normalisation: a 100 KB string costs
 * nothing to refuse. It is well above every limit, so NFKC expansion never decides alone.
 */
const RAW_LENGTH_CEILING = 1000;

/** RFC 9562 UUID (versions 1-8, RFC variant), any case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/**
 * E-mail address: the WHATWG HTML "valid e-mail address" (what `<input type=email>` accepts), with
 * a dot required in the domain and the local part at most 64 characters.
 */
const EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** A field check: the normalised value, or the contract's error code. */
export type FieldOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: FieldErrorCode };

const fail = (code: FieldErrorCode): FieldOutcome<never> => ({ ok: false, code });
const pass = <T>(value: T): FieldOutcome<T> => ({ ok: true, value });

/** Wraps a field check as a zod schema whose issues carry the contract code in `params.code`. */
export function fieldSchema<T>(check: (value: unknown) => FieldOutcome<T>) {
  return z.unknown().transform((value, ctx): T => {
    const outcome = check(value);
    if (outcome.ok) return outcome.value;
    ctx.addIssue({ code: 'custom', message: outcome.code, params: { code: outcome.code } });
    return z.NEVER;
  });
}

function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Checks a free-text field: string, trimmed + NFKC + one space between words, length, characters. */
export function checkText(value: unknown, rule: TextRule): FieldOutcome<string> {
  if (value === undefined) return rule.allowEmpty ? pass('') : fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  if (value.length > RAW_LENGTH_CEILING) return fail('too_long');
  // Control characters are refused before whitespace is collapsed (a tab or line break is not a space).
  if (/[\p{Cc}]/u.test(value.trim())) return fail('invalid_characters');
  const text = normaliseText(value);
  if (text === '') return rule.allowEmpty ? pass('') : fail('required');
  if (codePointLength(text) > rule.max) return fail('too_long');
  if (!rule.characters.test(text)) return fail('invalid_characters');
  if (!rule.mustContain.test(text)) return fail('invalid_format');
  return pass(text);
}

function checkTrue(value: unknown): FieldOutcome<true> {
  if (value === true) return pass(true);
  if (value === undefined || value === false) return fail('required');
  return fail('invalid_format');
}

function checkOptionalBoolean(value: unknown): FieldOutcome<boolean | undefined> {
  if (value === undefined || typeof value === 'boolean') return pass(value);
  return fail('invalid_format');
}

/** Nationality: exactly one of the 27 EU codes, upper case as the contract writes them (`EL`, not `GR`). */
export function checkNationality(value: unknown): FieldOutcome<MemberStateCode> {
  if (value === undefined) return fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  const code = value.trim();
  if (code === '') return fail('required');
  return (MEMBER_STATES as readonly string[]).includes(code)
    ? pass(code as MemberStateCode)
    : fail('not_allowed');
}

function checkTransport(value: unknown, required: boolean, check: (s: string) => FieldOutcome<string>) {
  if (value === undefined) return required ? fail('required') : pass('');
  if (typeof value !== 'string') return fail('invalid_format');
  const trimmed = value.trim();
  if (trimmed === '') return required ? fail('required') : pass('');
  return check(trimmed);
}

function checkSubmissionId(value: unknown, required: boolean): FieldOutcome<string> {
  return checkTransport(value, required, (s) =>
    UUID.test(s) ? pass(s.toLowerCase()) : fail('invalid_format'),
  );
}

/**
 * The ALTCHA payload is never a field error: a missing, empty or malformed payload is the
 * challenge check's (`403 challenge_failed`, as the contract lists it), which runs once the
 * statement has no field errors. A string is passed on trimmed; anything else as `''` (missing).
 */
function checkAltcha(value: unknown): FieldOutcome<string> {
  return pass(typeof value === 'string' ? value.trim() : '');
}

function checkLanguage(value: unknown): FieldOutcome<string | undefined> {
  if (value === undefined) return pass(undefined);
  if (typeof value !== 'string') return fail('invalid_format');
  return (EU_LANGUAGES as readonly string[]).includes(value.trim())
    ? pass(value.trim())
    : fail('invalid_format');
}

/** E-mail: optional; an empty string counts as absent. */
function checkEmail(value: unknown): FieldOutcome<string | undefined> {
  if (value === undefined) return pass(undefined);
  if (typeof value !== 'string') return fail('invalid_format');
  if (value.length > RAW_LENGTH_CEILING) return fail('too_long');
  const email = value.trim();
  if (email === '') return pass(undefined);
  if (email.length > FIELD_MAX_LENGTHS.email) return fail('too_long');
  return EMAIL.test(email) ? pass(email) : fail('invalid_format');
}

/**
 * Date of birth: `YYYY-MM-DD` (`invalid_format`), a real date (`invalid_date`), from 1900-01-01 up to
 * the signing day (`invalid_date`), and the minimum age of the nationality reached on the signing
 * day (`too_young`).
 */
export function checkDateOfBirth(value: unknown, minAge: number, today: string): FieldOutcome<string> {
  if (value === undefined) return fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  const date = value.trim();
  if (date === '') return fail('required');
  const parsed = parseIsoDate(date);
  if (parsed === 'format') return fail('invalid_format');
  if (parsed === 'date' || date < EARLIEST_BIRTH_DATE || date > today) return fail('invalid_date');
  return hasReachedAge(date, minAge, today) ? pass(date) : fail('too_young');
}

function checkCountryOfResidence(value: unknown): FieldOutcome<string> {
  if (value === undefined) return fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  if (value.trim() === '') return fail('required');
  const iso = normaliseCountryOfResidence(value);
  return iso === undefined ? fail('invalid_format') : pass(iso);
}

function checkDocumentType(value: unknown, accepted: readonly DocumentType[]): FieldOutcome<DocumentType> {
  if (value === undefined) return fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  const type = value.trim();
  if (type === '') return fail('required');
  return (accepted as readonly string[]).includes(type) ? pass(type as DocumentType) : fail('not_allowed');
}

/**
 * Document number, on its own: a string, not empty, at most 40 characters as typed (trimmed). The
 * format, check digit and birth date need the document type and run afterwards.
 */
function checkDocumentNumberText(value: unknown): FieldOutcome<string> {
  if (value === undefined) return fail('required');
  if (typeof value !== 'string') return fail('invalid_format');
  const trimmed = value.trim();
  if (trimmed === '') return fail('required');
  if (trimmed.length > FIELD_MAX_LENGTHS.documentNumber) return fail('too_long');
  return pass(trimmed.normalize('NFKC'));
}

/** What the field schemas of one statement depend on. */
export interface SchemaContext {
  /** The nationality, when known; without it only the common fields get schemas. */
  readonly nationality?: MemberStateCode;
  readonly today: string;
  readonly requireTransportFields: boolean;
}

/** The zod schema of every common field (optional ones may be absent from the object). */
function commonShape(context: SchemaContext) {
  return {
    nationality: fieldSchema(checkNationality),
    firstNames: fieldSchema((v) => checkText(v, TEXT_RULES.firstNames)),
    familyNames: fieldSchema((v) => checkText(v, TEXT_RULES.familyNames)),
    certify: fieldSchema(checkTrue),
    privacyStatement: fieldSchema(checkTrue),
    confirmDocumentFormat: fieldSchema(checkOptionalBoolean).optional(),
    confirmPostalCode: fieldSchema(checkOptionalBoolean).optional(),
    submissionId: fieldSchema((v) => checkSubmissionId(v, context.requireTransportFields)),
    altcha: fieldSchema(checkAltcha),
    language: fieldSchema(checkLanguage).optional(),
    email: fieldSchema(checkEmail).optional(),
    emailConsent: fieldSchema(checkOptionalBoolean).optional(),
  };
}

/** The zod schemas of the Part A fields for a nationality. */
function partAShape(nationality: MemberStateCode, today: string) {
  const minAge = MEMBER_STATE_RULES[nationality].minAge;
  return {
    dateOfBirth: fieldSchema((v) => checkDateOfBirth(v, minAge, today)),
    street: fieldSchema((v) => checkText(v, TEXT_RULES.street)),
    streetNumber: fieldSchema((v) => checkText(v, TEXT_RULES.streetNumber)),
    postalCode: fieldSchema((v) => checkText(v, TEXT_RULES.postalCode)),
    city: fieldSchema((v) => checkText(v, TEXT_RULES.city)),
    countryOfResidence: fieldSchema(checkCountryOfResidence),
  };
}

/** The zod schemas of the Part B fields for a nationality. */
function partBShape(nationality: MemberStateCode) {
  const accepted = MEMBER_STATE_RULES[nationality].documents.map((d) => d.type);
  return {
    documentType: fieldSchema((v) => checkDocumentType(v, accepted)),
    documentNumber: fieldSchema(checkDocumentNumberText),
  };
}

export type CommonShape = ReturnType<typeof commonShape>;
export type PartAShape = CommonShape & ReturnType<typeof partAShape>;
export type PartBShape = CommonShape & ReturnType<typeof partBShape>;

/**
 * The field schemas of a statement: the common fields, plus those of the nationality's part.
 * Without a nationality, the common fields only.
 */
export function statementShape(context: SchemaContext): CommonShape | PartAShape | PartBShape {
  const key = `${context.nationality ?? ''}|${context.today}|${context.requireTransportFields}`;
  const cached = SHAPES.get(key);
  if (cached) return cached;
  const common = commonShape(context);
  const shape =
    context.nationality === undefined
      ? common
      : MEMBER_STATE_RULES[context.nationality].part === 'A'
        ? { ...common, ...partAShape(context.nationality, context.today) }
        : { ...common, ...partBShape(context.nationality) };
  // Building zod schemas costs more than running them: keep them per context. The signing day
  // changes once a day, so the cache stays small; it is cleared if it ever grows.
  if (SHAPES.size >= MAX_CACHED_SHAPES) SHAPES.clear();
  SHAPES.set(key, shape);
  return shape;
}

const MAX_CACHED_SHAPES = 256;
const SHAPES = new Map<string, CommonShape | PartAShape | PartBShape>();

/** The fields a nationality's statement may carry (common + its part). */
export function allowedFields(nationality: MemberStateCode): readonly StatementField[] {
  const partFields = MEMBER_STATE_RULES[nationality].part === 'A' ? PART_A_FIELDS : PART_B_FIELDS;
  const allowed = new Set<StatementField>([...COMMON_FIELDS, ...partFields]);
  return FIELD_ORDER.filter((f) => allowed.has(f));
}
