import { MEMBER_STATE_RULES } from '@ocs/shared/rulebook/member-states';
import type { SignatoryNote } from '@ocs/shared/rulebook/types';
import type { FieldErrorCode, MemberStateCode } from '@ocs/shared/statement';
import type { StatementRequest } from '../api.ts';
import { memberStateName } from '../countries.ts';
import type { Messages } from '../i18n.ts';
import { contactFields } from './contact.ts';
import type { FormValues } from './form-values.ts';

export type { FormValues };

/** The request body without its transport fields. */
export type StatementBody = Omit<StatementRequest, 'submissionId' | 'altcha'>;

/**
 * The sign form's model: what the citizen typed, how it becomes the request body of
 * POST /api/statements, and the translated text of every field error code of the contract.
 * The rules themselves (which fields, formats, check digits, ages) live in `@ocs/shared`.
 */

/**
 * Day, month and year fields as `YYYY-MM-DD`; `undefined` when all three are empty. A part that is
 * missing or not a number gives a string the rulebook refuses as `invalid_format`.
 */
export function dateOfBirth(day: string, month: string, year: string): string | undefined {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (d === '' && m === '' && y === '') return undefined;
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return `${y}-${m}-${d}`;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** The fields whose unusual format the citizen may confirm, and the box that confirms each. */
export const CONFIRMATIONS = {
  documentNumber: 'confirmDocumentFormat',
  postalCode: 'confirmPostalCode',
} as const;
export type ConfirmableField = keyof typeof CONFIRMATIONS;

/**
 * The statement as the contract wants it, without the transport fields (`submissionId`, `altcha`).
 * A confirmation is sent only for a field in `confirmable` (shown as unusual) whose box is ticked.
 */
export function statementFields(
  values: FormValues,
  lang: string,
  confirmable: ReadonlySet<ConfirmableField>,
): StatementBody {
  const confirmed = (field: ConfirmableField) => confirmable.has(field) && values[CONFIRMATIONS[field]];
  const nationality = values.nationality as MemberStateCode;
  const rules = MEMBER_STATE_RULES[nationality];
  const common = {
    nationality: values.nationality,
    firstNames: values.firstNames,
    familyNames: values.familyNames,
    certify: values.certify,
    privacyStatement: values.privacyStatement,
    language: lang,
    ...contactFields(values),
  };
  if (!rules) return common;
  if (rules.part === 'A') {
    const dob = dateOfBirth(values.birthDay, values.birthMonth, values.birthYear);
    return {
      ...common,
      ...(dob === undefined ? {} : { dateOfBirth: dob }),
      street: values.street,
      streetNumber: values.streetNumber,
      postalCode: values.postalCode,
      ...(confirmed('postalCode') ? { confirmPostalCode: true } : {}),
      city: values.city,
      countryOfResidence: values.countryOfResidence,
    };
  }
  return {
    ...common,
    documentType: values.documentType || undefined,
    documentNumber: values.documentNumber,
    ...(confirmed('documentNumber') ? { confirmDocumentFormat: true } : {}),
  };
}

/** The label of a field, as shown next to it and in the error summary. */
export function fieldLabel(m: Messages, field: string): string {
  switch (field) {
    case 'nationality':
      return m.field_nationality();
    case 'firstNames':
      return m.field_first_names();
    case 'familyNames':
      return m.field_family_names();
    case 'dateOfBirth':
      return m.field_date_of_birth();
    case 'street':
      return m.field_street();
    case 'streetNumber':
      return m.field_street_number();
    case 'postalCode':
      return m.field_postal_code();
    case 'city':
      return m.field_city();
    case 'countryOfResidence':
      return m.field_country_of_residence();
    case 'documentType':
      return m.field_document_type();
    case 'documentNumber':
      return m.field_document_number();
    case 'confirmDocumentFormat':
      return m.field_document_number();
    case 'confirmPostalCode':
      return m.field_postal_code();
    case 'certify':
      return m.sign_declarations_legend();
    case 'privacyStatement':
      return m.footer_privacy();
    case 'altcha':
      return m.sign_human_legend();
    case 'email':
      return m.field_email();
    case 'emailConsent':
      return m.sign_contact_legend();
    default:
      return field;
  }
}

const ADDRESS_FIELDS = new Set(['street', 'streetNumber', 'city']);

/** The translated message of a field error (every code of CITIZEN-API.md, per field where it helps). */
export function errorMessage(
  m: Messages,
  field: string,
  code: FieldErrorCode | string,
  nationality: string,
): string {
  switch (code) {
    case 'required':
      if (field === 'nationality') return m.error_nationality_required();
      if (field === 'certify') return m.error_certify_required();
      if (field === 'privacyStatement') return m.error_privacy_statement_required();
      if (field === 'altcha') return m.error_altcha_required();
      if (field === 'emailConsent') return m.error_email_consent_required();
      if (field === 'email') return m.error_email_required();
      return m.error_required();
    case 'not_allowed':
      if (field === 'documentType') return m.error_document_type_not_allowed();
      if (field === 'nationality') return m.error_nationality_required();
      return m.error_not_allowed();
    case 'invalid_format':
      if (field === 'documentNumber') return m.error_document_number_invalid_format();
      if (field === 'dateOfBirth') return m.error_invalid_date();
      if (field === 'nationality') return m.error_nationality_required();
      if (field === 'altcha') return m.error_altcha_required();
      return m.error_invalid_format();
    case 'invalid_checksum':
      return m.error_invalid_checksum();
    case 'format_unconfirmed':
      if (field === 'postalCode') return m.error_postal_code_format_unconfirmed();
      return m.error_format_unconfirmed();
    case 'invalid_date':
      if (field === 'documentNumber') return m.error_document_number_invalid_date();
      return m.error_invalid_date();
    case 'too_young': {
      const rules = MEMBER_STATE_RULES[nationality as MemberStateCode];
      return m.error_too_young({
        age: String(rules?.minAge ?? 18),
        country: rules ? memberStateName(m, rules.code) : nationality,
      });
    }
    case 'too_long':
      return m.error_too_long();
    case 'invalid_characters':
      return ADDRESS_FIELDS.has(field) ? m.error_address_invalid_characters() : m.error_invalid_characters();
    default:
      return m.error_invalid_format();
  }
}

/** The text next to a box to tick. */
export function checkboxLabel(m: Messages, field: string): string {
  switch (field) {
    case 'certify':
      return m.field_certify();
    case 'privacyStatement':
      return m.field_privacy_statement();
    case 'confirmPostalCode':
      return m.field_confirm_postal_code();
    case 'emailConsent':
      return m.field_email_consent();
    default:
      return m.field_confirm_document_format();
  }
}

/** The message of each signatory note of the rulebook (its English `text` is the server's). */
const NOTES: Readonly<Record<SignatoryNote['id'], (m: Messages) => string>> = {
  residenceAbroadRegistered: (m) => m.note_de(),
};

/** A signatory note of the rulebook, translated. */
export function signatoryNoteText(m: Messages, note: SignatoryNote): string {
  return NOTES[note.id](m);
}
