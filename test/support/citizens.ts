import { randomInt } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * Test citizens with distinctive, unique personal data. Every value a suite sends can be recorded
 * (see `recordPersonalValues`) so the privacy suite can prove none of them leaks into a log line
 * or rests unencrypted in the table.
 */

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A random lower-case word; names built from it are unique across a run. */
export function word(length = 8): string {
  let s = '';
  for (let i = 0; i < length; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A valid PESEL for a birth date in 1950-1999 (weights 1,3,7,9,...; check = (10 - sum mod 10) mod 10). */
export function pesel(): string {
  const year = 50 + randomInt(50);
  const month = 1 + randomInt(12);
  const day = 1 + randomInt(28);
  const serial = String(randomInt(10_000)).padStart(4, '0');
  const digits = `${String(year).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${serial}`;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

export interface TestStatement {
  [field: string]: unknown;
  nationality: string;
  firstNames: string;
  familyNames: string;
  submissionId: string;
}

/** A valid German (Part A) statement with unique names; `altcha` to be added. */
export function germanCitizen(): TestStatement {
  return {
    nationality: 'DE',
    firstNames: `Anneliese ${cap(word())}`,
    familyNames: `Schmidtmüller${word(6)}`,
    dateOfBirth: `19${50 + randomInt(45)}-0${1 + randomInt(9)}-1${randomInt(9)}`,
    street: `Lindenstraße ${cap(word(6))}`,
    streetNumber: `${1 + randomInt(200)}a`,
    postalCode: String(10_000 + randomInt(89_999)),
    city: `Berlin ${cap(word(5))}`,
    countryOfResidence: 'DE',
    certify: true,
    privacyStatement: true,
    submissionId: crypto.randomUUID(),
  };
}

/** A valid Polish (Part B, PESEL) statement with unique names and number. */
export function polishCitizen(): TestStatement {
  return {
    nationality: 'PL',
    firstNames: `Zofia ${cap(word())}`,
    familyNames: `Wiśniewska${word(6)}`,
    documentType: 'personalNumber',
    documentNumber: pesel(),
    certify: true,
    privacyStatement: true,
    submissionId: crypto.randomUUID(),
  };
}

const PERSONAL_FIELDS = [
  'firstNames',
  'familyNames',
  'dateOfBirth',
  'street',
  'city',
  'documentNumber',
  'email',
] as const;

/** Appends a statement's personal values (names, birth date, address, number, e-mail) to `file`. */
export function recordPersonalValues(file: string, statement: TestStatement): void {
  const values = PERSONAL_FIELDS.map((f) => statement[f]).filter((v): v is string => typeof v === 'string');
  appendFileSync(file, `${JSON.stringify(values)}\n`);
}
