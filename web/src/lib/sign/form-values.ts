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
  certify: boolean;
  privacyStatement: boolean;
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
    certify: false,
    privacyStatement: false,
  };
}
