/**
 * English messages of the field errors. Generic by design: a message never contains the submitted
 * value, so it is safe to return, to log and to show next to any field.
 */
import type { FieldErrorCode } from '../statement';

const GENERIC: Readonly<Record<FieldErrorCode, string>> = {
  required: 'This field is required.',
  not_allowed: 'This field is not allowed here.',
  invalid_format: 'This value does not have the expected format.',
  invalid_checksum: 'Check the number: its check digit does not match.',
  format_unconfirmed:
    'This number does not look like the usual format for this document. Check it, and confirm it if it is correct.',
  invalid_date: 'Enter a real date.',
  too_young: 'You have not reached the minimum age to support an initiative as a citizen of this country.',
  too_long: 'This value is too long.',
  invalid_characters: 'This value contains characters that are not allowed.',
};

const SPECIFIC: Readonly<Record<string, Partial<Record<FieldErrorCode, string>>>> = {
  $: { invalid_format: 'The statement must be a JSON object.' },
  nationality: {
    required: 'Choose your nationality.',
    not_allowed: 'Choose the EU country of your nationality (EU country code, EL for Greece).',
    invalid_format: 'Choose your nationality.',
  },
  firstNames: {
    required: 'Enter your full first names.',
    too_long: 'First names can be at most 100 characters long.',
    invalid_characters: 'Names may contain letters, spaces, apostrophes, hyphens and dots only.',
    invalid_format: 'Enter your first names as letters.',
  },
  familyNames: {
    required: 'Enter your family names.',
    too_long: 'Family names can be at most 100 characters long.',
    invalid_characters: 'Names may contain letters, spaces, apostrophes, hyphens and dots only.',
    invalid_format: 'Enter your family names as letters.',
  },
  dateOfBirth: {
    required: 'Enter your date of birth.',
    invalid_format: 'Enter your date of birth as YYYY-MM-DD.',
    invalid_date: 'Enter a real date of birth, in the past and not before 1900.',
  },
  street: {
    required: 'Enter the street of your address.',
    too_long: 'The street can be at most 100 characters long.',
    invalid_characters:
      "The street may contain letters, digits, spaces and the signs . , ' - / ( ) ° # only.",
    invalid_format: 'Enter the street of your address.',
  },
  streetNumber: {
    too_long: 'The number can be at most 100 characters long.',
    invalid_characters:
      "The number may contain letters, digits, spaces and the signs . , ' - / ( ) ° # only.",
    invalid_format: 'Enter the house number of your address, or leave it empty.',
  },
  postalCode: {
    required: 'Enter your postal code.',
    too_long: 'The postal code can be at most 100 characters long.',
    invalid_characters: 'The postal code may contain letters, digits, spaces and hyphens only.',
    invalid_format: 'Enter your postal code as letters and digits.',
    format_unconfirmed:
      'This postal code does not look like the usual format of your country of residence. Check it, and confirm it if it is correct.',
  },
  city: {
    required: 'Enter your city.',
    too_long: 'The city can be at most 100 characters long.',
    invalid_characters: "The city may contain letters, digits, spaces and the signs . , ' - / ( ) ° # only.",
    invalid_format: 'Enter the name of your city.',
  },
  countryOfResidence: {
    required: 'Choose your country of residence.',
    invalid_format: 'Choose your country of residence (ISO 3166-1 alpha-2 code).',
  },
  documentType: {
    required: 'Choose the type of your personal number or document.',
    not_allowed: 'This document is not accepted for your nationality. Choose one from the list.',
    invalid_format: 'Choose the type of your personal number or document.',
  },
  documentNumber: {
    required: 'Enter the number of your personal number or document.',
    too_long: 'The number can be at most 40 characters long.',
    invalid_characters: 'The number may contain letters and digits (and separators) only.',
    invalid_format: 'This number does not have the format of this document. Check it.',
    invalid_date: 'Check the number: the date of birth it contains is not a real date.',
    too_young:
      'According to this number you have not reached the minimum age to support an initiative as a citizen of this country.',
  },
  certify: {
    required: 'Certify that your data are correct and that you have not already supported this initiative.',
    invalid_format:
      'Certify that your data are correct and that you have not already supported this initiative.',
  },
  privacyStatement: {
    required: 'Confirm that you have read the privacy statement.',
    invalid_format: 'Confirm that you have read the privacy statement.',
  },
  confirmDocumentFormat: { invalid_format: 'This confirmation must be true or false.' },
  confirmPostalCode: { invalid_format: 'This confirmation must be true or false.' },
  submissionId: {
    required: 'The form is missing its submission identifier. Reload the page and try again.',
    invalid_format: 'The submission identifier must be a UUID.',
  },
  language: { invalid_format: 'The language must be one of the 24 official EU languages (two-letter code).' },
  email: {
    required: 'Enter the e-mail address at which you agreed to receive updates.',
    too_long: 'The e-mail address can be at most 254 characters long.',
    invalid_format: 'Enter a valid e-mail address.',
  },
  emailConsent: {
    required: 'Tick the box to agree to receive updates at this e-mail address, or remove the address.',
    invalid_format: 'This consent must be true or false.',
  },
};

/** The message of a field error: specific to the field where one exists, else generic. */
export function messageFor(field: string, code: FieldErrorCode): string {
  return (Object.hasOwn(SPECIFIC, field) ? SPECIFIC[field]?.[code] : undefined) ?? GENERIC[code];
}
