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

/** The part of the form a field belongs to (a fieldset on the page). */
export type FormSection =
  | 'nationality'
  | 'person'
  | 'residence'
  | 'document'
  | 'declarations'
  | 'contact'
  | 'transport';

/** One field of the form. */
export interface FormField {
  readonly name: StatementField;
  readonly kind: FormFieldKind;
  readonly section: FormSection;
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

const text = (section: FormSection, maxLength: number, autocomplete: string, required = true) =>
  ({ kind: 'text', section, required, maxLength, autocomplete }) as const;

const FORM_FIELDS: Readonly<Record<StatementField, Omit<FormField, 'name'>>> = {
  nationality: { kind: 'select', section: 'nationality', required: true },
  firstNames: text('person', FIELD_MAX_LENGTHS.firstNames, 'given-name'),
  familyNames: text('person', FIELD_MAX_LENGTHS.familyNames, 'family-name'),
  dateOfBirth: { kind: 'date', section: 'person', required: true, autocomplete: 'bday' },
  street: text('residence', FIELD_MAX_LENGTHS.street, 'address-line1'),
  streetNumber: text('residence', FIELD_MAX_LENGTHS.streetNumber, 'address-line2', false),
  postalCode: text('residence', FIELD_MAX_LENGTHS.postalCode, 'postal-code'),
  confirmPostalCode: { kind: 'checkbox', section: 'residence', required: false, confirms: 'postalCode' },
  city: text('residence', FIELD_MAX_LENGTHS.city, 'address-level2'),
  countryOfResidence: { kind: 'select', section: 'residence', required: true, autocomplete: 'country' },
  documentType: { kind: 'select', section: 'document', required: true },
  documentNumber: text('document', FIELD_MAX_LENGTHS.documentNumber, 'off'),
  confirmDocumentFormat: {
    kind: 'checkbox',
    section: 'document',
    required: false,
    confirms: 'documentNumber',
  },
  certify: { kind: 'checkbox', section: 'declarations', required: true },
  privacyStatement: { kind: 'checkbox', section: 'declarations', required: true },
  email: {
    kind: 'email',
    section: 'contact',
    required: false,
    maxLength: FIELD_MAX_LENGTHS.email,
    autocomplete: 'email',
  },
  emailConsent: { kind: 'checkbox', section: 'contact', required: false },
  language: { kind: 'hidden', section: 'transport', required: false },
  submissionId: { kind: 'hidden', section: 'transport', required: true },
  altcha: { kind: 'hidden', section: 'transport', required: false },
};

/**
 * The fields of a nationality's form, in display order, with what the page needs to render them.
 * `postalCode` is required unless it may be empty for this nationality and country of residence
 * (`postalCodeMayBeEmpty`: Irish citizens, residents of Ireland). `confirmDocumentFormat` and
 * `confirmPostalCode` should be shown only after a `format_unconfirmed` error on the field they
 * confirm. `altcha` is not required as a field: its absence is the challenge check's (403).
 */
export function formFieldsFor(nationality: MemberStateCode, countryOfResidence = ''): readonly FormField[] {
  const fields = allowedFields(nationality).map((name): FormField => ({ name, ...FORM_FIELDS[name] }));
  // The contract accepts both confirmations from anyone; a form shows the one of its own part.
  const present = new Set<string>(fields.map((f) => f.name));
  return fields
    .filter((f) => f.confirms === undefined || present.has(f.confirms))
    .map((f) =>
      f.name === 'postalCode' && postalCodeMayBeEmpty(nationality, countryOfResidence)
        ? { ...f, required: false }
        : f,
    );
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
