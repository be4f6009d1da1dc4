import { addMonths, brusselsDate, type Initiative } from '@ocs/shared/initiative';

/** A valid initiative, collecting from 2026-11-01 to 2027-10-31 (Brussels dates). */
export function testInitiative(collection: Partial<Initiative['collection']> = {}): Initiative {
  return {
    id: 'clean-rivers',
    registrationNumber: 'ECI(2026)000042',
    registrationDate: '2026-09-15',
    languages: ['en', 'pl'],
    content: {
      en: {
        title: 'Clean Rivers for Europe',
        objectives: 'Binding targets for the ecological quality of European rivers.',
        annex: 'Details of the proposal.',
      },
      pl: { title: 'Czyste rzeki dla Europy', objectives: 'Wiążące cele dla jakości rzek.' },
    },
    organisers: [
      { name: 'Anna Representative', country: 'DE', role: 'representative' },
      { name: 'Bruno Substitute', country: 'FR', role: 'substitute' },
    ],
    registerUrl: 'https://citizens-initiative.europa.eu/initiatives/details/2026/000042_en',
    partialRegistration: 'Only the first objective is registered.',
    certificateUrl: 'https://example.org/certificate.pdf',
    dataProtectionContact: { name: 'Anna Representative', email: 'privacy@example.org' },
    collection: { start: '2026-11-01', end: '2027-10-31', enabled: true, ...collection },
  };
}

/** A valid initiative whose collection is open at `now` (started 30 days earlier). */
export function initiativeOpenAt(now: Date): Initiative {
  const start = brusselsDate(new Date(now.getTime() - 30 * 86_400_000));
  const end = brusselsDate(new Date(Date.parse(`${addMonths(start, 12)}T12:00:00Z`) - 2 * 86_400_000));
  return {
    ...testInitiative(),
    registrationDate: addMonths(start, -2),
    collection: { start, end, enabled: true },
  };
}

export const SUBMISSION_ID = '6f1c0d9e-4a53-4a43-9b8f-1a2b3c4d5e6f';
export const OTHER_SUBMISSION_ID = '0b7d5c52-2f7e-4c55-8e6a-7d1f3c2b9a10';

/** A valid Part B statement: Poland, PESEL (it encodes 1944-05-14 and passes the check digit). */
export function partBBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    nationality: 'PL',
    firstNames: 'Zofia Anna',
    familyNames: 'Kowalska',
    documentType: 'personalNumber',
    documentNumber: '44051401359',
    certify: true,
    privacyStatement: true,
    submissionId: SUBMISSION_ID,
    altcha: 'eyJjaGFsbGVuZ2UiOnt9fQ==',
    language: 'pl',
    ...overrides,
  };
}

/** A valid Part A statement: Germany, residence and date of birth. */
export function partABody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    nationality: 'DE',
    firstNames: 'Hans Peter',
    familyNames: 'Müller',
    dateOfBirth: '1980-02-03',
    street: 'Hauptstraße',
    streetNumber: '5a',
    postalCode: '10115',
    city: 'Berlin',
    countryOfResidence: 'DE',
    certify: true,
    privacyStatement: true,
    submissionId: SUBMISSION_ID,
    altcha: 'eyJjaGFsbGVuZ2UiOnt9fQ==',
    ...overrides,
  };
}
