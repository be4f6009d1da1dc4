/**
 * What the browser form needs to build itself from the rulebook: the fields of a nationality in
 * display order, their limits, and the documents a Part B country accepts.
 */
import { postalCodeMayBeEmptyFor, postalCodeRule } from '../rulebook/countries';
import { MEMBER_STATE_RULES } from '../rulebook/member-states';
import type { DocumentType, MemberStateCode } from '../statement';
import { allowedFields, FIELD_MAX_LENGTHS, type StatementField } from './fields';

/** How a field is entered. */
export type FormFieldKind = 'select' | 'text' | 'date' | 'checkbox' | 'email' | 'hidden';

/** One field of the form. */
export interface FormField {
  readonly name: StatementField;
  readonly kind: FormFieldKind;
  /** Must be given (checkboxes: must be ticked). */
  readonly required: boolean;
  /** Maximum length in characters, for text fields. */
  readonly maxLength?: number;
  /** The HTML `autocomplete` token that fits. */
  readonly autocomplete?: string;
  /**
   * For a confirmation checkbox: the field whose unusual format it confirms. Show it only while
   * that field is `format_unconfirmed`.
   */
  readonly confirms?: 'postalCode' | 'documentNumber';
}

const FORM_FIELDS: Readonly<Record<StatementField, Omit<FormField, 'name'>>> = {
  nationality: { kind: 'select', required: true },
  firstNames: {
    kind: 'text',
    required: true,
    maxLength: FIELD_MAX_LENGTHS.firstNames,
    autocomplete: 'given-name',
  },
  familyNames: {
    kind: 'text',
    required: true,
    maxLength: FIELD_MAX_LENGTHS.familyNames,
    autocomplete: 'family-name',
  },
  dateOfBirth: { kind: 'date', required: true, autocomplete: 'bday' },
  street: {
    kind: 'text',
    required: true,
    maxLength: FIELD_MAX_LENGTHS.street,
    autocomplete: 'address-line1',
  },
  streetNumber: {
    kind: 'text',
    required: false,
    maxLength: FIELD_MAX_LENGTHS.streetNumber,
    autocomplete: 'address-line2',
  },
  postalCode: {
    kind: 'text',
    required: true,
    maxLength: FIELD_MAX_LENGTHS.postalCode,
    autocomplete: 'postal-code',
  },
  confirmPostalCode: { kind: 'checkbox', required: false, confirms: 'postalCode' },
  city: { kind: 'text', required: true, maxLength: FIELD_MAX_LENGTHS.city, autocomplete: 'address-level2' },
  countryOfResidence: { kind: 'select', required: true, autocomplete: 'country' },
  documentType: { kind: 'select', required: true },
  documentNumber: {
    kind: 'text',
    required: true,
    maxLength: FIELD_MAX_LENGTHS.documentNumber,
    autocomplete: 'off',
  },
  confirmDocumentFormat: { kind: 'checkbox', required: false, confirms: 'documentNumber' },
  certify: { kind: 'checkbox', required: true },
  privacyStatement: { kind: 'checkbox', required: true },
  email: { kind: 'email', required: false, maxLength: FIELD_MAX_LENGTHS.email, autocomplete: 'email' },
  emailConsent: { kind: 'checkbox', required: false },
  language: { kind: 'hidden', required: false },
  submissionId: { kind: 'hidden', required: true },
  altcha: { kind: 'hidden', required: false },
};

/**
 * The fields of a nationality's form, in display order. `postalCode` is marked required; it may be
 * left empty by Irish citizens and by residents of Ireland (see `postalCodeMayBeEmpty`).
 * `confirmDocumentFormat` and `confirmPostalCode` should be shown only after a
 * `format_unconfirmed` error on the field they confirm. `altcha` is not required as a field: its
 * absence is the challenge check's (403).
 */
export function formFieldsFor(nationality: MemberStateCode): readonly FormField[] {
  const fields = allowedFields(nationality).map((name) => ({ name, ...FORM_FIELDS[name] }));
  // The contract accepts both confirmations from anyone; a form shows the one of its own part.
  const present = new Set<string>(fields.map((f) => f.name));
  return fields.filter((f) => f.confirms === undefined || present.has(f.confirms));
}

/**
 * True when the postal code may be empty (the rulebook's `mayBeEmpty`: Irish nationality or
 * residence in Ireland).
 */
export function postalCodeMayBeEmpty(nationality: MemberStateCode, countryOfResidence: string): boolean {
  return postalCodeMayBeEmptyFor(MEMBER_STATE_RULES[nationality].iso, countryOfResidence);
}

/** One document a Part B country accepts, as the form offers it. */
export interface DocumentOption {
  readonly type: DocumentType;
  readonly englishName: string;
  readonly nativeNames: readonly string[];
  readonly formatHint: string;
  /** True when an unusual number can be confirmed (passports, ID cards). */
  readonly confirmable: boolean;
}

/** The documents a nationality accepts, in the order to offer them (empty for Part A). */
export function documentOptionsFor(nationality: MemberStateCode): readonly DocumentOption[] {
  return MEMBER_STATE_RULES[nationality].documents.map((d) => ({
    type: d.type,
    englishName: d.englishName,
    nativeNames: d.nativeNames,
    formatHint: d.formatHint,
    confirmable: d.onFormatMismatch === 'format_unconfirmed',
  }));
}

/** A format hint for the postal code of a country of residence (ISO code). */
export function postalCodeHint(countryOfResidence: string): string {
  return postalCodeRule(countryOfResidence).formatHint;
}
