/**
 * What the citizen types into the sign form. Kept apart from `form.ts` (which needs the rulebook)
 * so the sign page's first load carries no rulebook: the form and its rules load with the form.
 */

export interface FormValues {
  nationality: string;
  firstNames: string;
  familyNames: string;
  birthDay: string;
  birthMonth: string;
  birthYear: string;
  street: string;
  streetNumber: string;
  postalCode: string;
  city: string;
  countryOfResidence: string;
  documentType: string;
  documentNumber: string;
  confirmDocumentFormat: boolean;
  confirmPostalCode: boolean;
  certify: boolean;
  privacyStatement: boolean;
  /** Optional: an address for updates, sent only with the consent box ticked. */
  email: string;
  emailConsent: boolean;
}

export function emptyForm(): FormValues {
  return {
    nationality: '',
    firstNames: '',
    familyNames: '',
    birthDay: '',
    birthMonth: '',
    birthYear: '',
    street: '',
    streetNumber: '',
    postalCode: '',
    city: '',
    countryOfResidence: '',
    documentType: '',
    documentNumber: '',
    confirmDocumentFormat: false,
    confirmPostalCode: false,
    certify: false,
    privacyStatement: false,
    email: '',
    // Unticked by default: consent is given by the citizen's own act (GDPR Art. 4(11), recital 32).
    emailConsent: false,
  };
}

/** The entries the citizen types (text inputs and selects). */
export type TextKey = { [K in keyof FormValues]: FormValues[K] extends string ? K : never }[keyof FormValues];
/** The entries the citizen ticks. */
export type CheckKey = {
  [K in keyof FormValues]: FormValues[K] extends boolean ? K : never;
}[keyof FormValues];
