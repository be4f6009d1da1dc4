/**
 * Check-digit and birth-date validators for the personal numbers of Annex III Part B.
 *
 * Each validator takes a number as the citizen typed it (separators and case are ignored; it
 * normalises itself, so passing an already normalised number is fine) and returns a typed result.
 * The algorithms are written from their published descriptions (national registries, Wikipedia,
 * and the algorithm notes of python-stdnum, from which no code is taken).
 *
 * Order of checks in every validator: format, then check digit, then the encoded birth date.
 * So a number with both a wrong check digit and an impossible date reports `invalid_checksum`.
 */
import { normaliseDocumentNumber } from '../normalise';
import { formatDate, isRealDate } from './dates';
import type { CodeList } from './types';

/** Why a number was refused. */
export type CheckFailureCode = 'invalid_format' | 'invalid_checksum' | 'invalid_date';

/**
 * The result of a validator. `birthDate` is the encoded date of birth (`YYYY-MM-DD`) when the
 * number carries a complete one; `canonical` is the form to store when it differs from the
 * plain normalised number (Sweden: always the 12-digit form with the century).
 */
export type CheckResult =
  | { readonly ok: true; readonly birthDate?: string; readonly canonical?: string }
  | { readonly ok: false; readonly code: CheckFailureCode };

/**
 * A document number validator. `today` (`YYYY-MM-DD`, the signing day) is only read by the Swedish
 * validator, whose 10-digit form leaves the century to be inferred from the age.
 */
export type DocumentNumberValidator = (value: string, today: string) => CheckResult;

const FORMAT: CheckResult = { ok: false, code: 'invalid_format' };
const CHECKSUM: CheckResult = { ok: false, code: 'invalid_checksum' };
const DATE: CheckResult = { ok: false, code: 'invalid_date' };

function digitsOf(value: string): number[] {
  return Array.from(value, (c) => c.charCodeAt(0) - 48);
}

function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum;
}

function num(value: string, start: number, end: number): number {
  return Number(value.slice(start, end));
}

function dated(year: number, month: number, day: number, canonical?: string): CheckResult {
  if (!isRealDate(year, month, day)) return DATE;
  const birthDate = formatDate(year, month, day);
  return canonical === undefined ? { ok: true, birthDate } : { ok: true, birthDate, canonical };
}

const ELEVEN_DIGITS = /^[0-9]{11}$/;
const TEN_DIGITS = /^[0-9]{10}$/;
const THIRTEEN_DIGITS = /^[0-9]{13}$/;

/**
 * Belgium, Rijksregisternummer / numéro de registre national (11 digits, YYMMDD SSS CC).
 * CC = 97 − (first nine digits mod 97); for births from 2000 the nine digits get a leading "2"
 * first. The century is the variant that passes (both cannot: 2·10⁹ is not a multiple of 97).
 * BIS numbers (people not in the national register) add 20 or 40 to the month: accepted.
 * A month or day of 00 means the date of birth was unknown (or the day's counter ran out): then no
 * birth date is derived and the age cannot be checked here.
 */
export function validateBeNationalRegisterNumber(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!ELEVEN_DIGITS.test(n)) return FORMAT;
  const base = num(n, 0, 9);
  const check = num(n, 9, 11);
  let century: number;
  if (97 - (base % 97) === check) century = 1900;
  else if (97 - ((2_000_000_000 + base) % 97) === check) century = 2000;
  else return CHECKSUM;
  let month = num(n, 2, 4);
  const day = num(n, 4, 6);
  if (month >= 40) month -= 40;
  else if (month >= 20) month -= 20;
  if (month === 0) return { ok: true };
  if (month > 12) return DATE;
  if (day === 0) return { ok: true };
  return dated(century + num(n, 0, 2), month, day);
}

const BG_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6] as const;

/** Bulgaria, EGN check digit: weighted sum mod 11, where 10 becomes 0. */
export function bgEgnCheckDigit(firstNine: string): number {
  return (weightedSum(digitsOf(firstNine), BG_WEIGHTS) % 11) % 10;
}

/**
 * Bulgaria, ЕГН / EGN (10 digits, YYMMDD SSS C). Month 1-12: 1900s; +20: 1800s; +40: 2000s.
 */
export function validateBgEgn(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!TEN_DIGITS.test(n)) return FORMAT;
  if (bgEgnCheckDigit(n) !== num(n, 9, 10)) return CHECKSUM;
  const yy = num(n, 0, 2);
  const mm = num(n, 2, 4);
  const dd = num(n, 4, 6);
  if (mm >= 41 && mm <= 52) return dated(2000 + yy, mm - 40, dd);
  if (mm >= 21 && mm <= 32) return dated(1800 + yy, mm - 20, dd);
  return dated(1900 + yy, mm, dd);
}

/**
 * Estonia and Lithuania, check digit of the isikukood / asmens kodas: weights 1..9,1 mod 11;
 * if that gives 10, weights 3..9,1,2,3 mod 11; if that again gives 10, the check digit is 0.
 */
export function baltic11CheckDigit(firstTen: string): number {
  const d = digitsOf(firstTen);
  const first = weightedSum(d, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11;
  if (first !== 10) return first;
  return (weightedSum(d, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11) % 10;
}

const BALTIC_CENTURY: Readonly<Record<string, number>> = {
  '1': 1800,
  '2': 1800,
  '3': 1900,
  '4': 1900,
  '5': 2000,
  '6': 2000,
  '7': 2100,
  '8': 2100,
};

function validateBaltic11(value: string, allowNine: boolean): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!ELEVEN_DIGITS.test(n)) return FORMAT;
  const first = n.charAt(0);
  const century = BALTIC_CENTURY[first];
  if (century === undefined && !(allowNine && first === '9')) return FORMAT;
  if (baltic11CheckDigit(n) !== num(n, 10, 11)) return CHECKSUM;
  if (century === undefined) return { ok: true };
  return dated(century + num(n, 1, 3), num(n, 3, 5), num(n, 5, 7));
}

/**
 * Estonia, isikukood (11 digits, G YYMMDD SSS C). G = sex and century: 1/2 1800s, 3/4 1900s,
 * 5/6 2000s, 7/8 2100s. Any other first digit is `invalid_format`.
 */
export function validateEeIsikukood(value: string): CheckResult {
  return validateBaltic11(value, false);
}

/**
 * Lithuania, asmens kodas: same structure and check digit as Estonia. Codes starting with 9 are
 * issued in exceptional cases (unknown or inconsistent birth data) and carry no birth date: they
 * are checked for their check digit only (as python-stdnum's description of the rule does).
 */
export function validateLtAsmensKodas(value: string): CheckResult {
  return validateBaltic11(value, true);
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spain, DNI control letter for a number of up to 8 digits. */
export function esDniLetter(digits: string): string {
  return DNI_LETTERS.charAt(Number(digits) % 23);
}

/**
 * Spain, DNI (8 digits and a control letter = TRWAGMYFPDXBNJZSQVHLCKE[number mod 23]). Older
 * numbers have fewer digits: they are padded with zeros to 8 before the letter check, and stored
 * padded (`1234567L` and `01234567L` are one number). NIE numbers (X, Y or Z, 7 digits, letter)
 * belong to foreign residents, not citizens: `invalid_format`.
 */
export function validateEsDni(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!/^[0-9]{1,8}[A-Z]$/.test(n)) return FORMAT;
  const digits = n.slice(0, -1).padStart(8, '0');
  const letter = n.charAt(n.length - 1);
  if (esDniLetter(digits) !== letter) return CHECKSUM;
  const canonical = `${digits}${letter}`;
  return canonical === n ? { ok: true } : { ok: true, canonical };
}

/** Croatia, OIB check digit: ISO 7064 MOD 11,10 over the first ten digits. */
export function hrOibCheckDigit(firstTen: string): number {
  let product = 10;
  for (const digit of digitsOf(firstTen.slice(0, 10))) {
    let sum = (digit + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10;
}

/** Croatia, OIB (11 digits, no birth date). */
export function validateHrOib(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!ELEVEN_DIGITS.test(n)) return FORMAT;
  return hrOibCheckDigit(n) === num(n, 10, 11) ? { ok: true } : CHECKSUM;
}

const PESEL_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3] as const;

/** Poland, PESEL check digit: (10 − weighted sum mod 10) mod 10. */
export function plPeselCheckDigit(firstTen: string): number {
  return (10 - (weightedSum(digitsOf(firstTen), PESEL_WEIGHTS) % 10)) % 10;
}

/**
 * Poland, PESEL (11 digits, YYMMDD SSSS C). The month carries the century: 81-92 1800s,
 * 01-12 1900s, 21-32 2000s, 41-52 2100s, 61-72 2200s; any other month is `invalid_date`.
 */
export function validatePlPesel(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!ELEVEN_DIGITS.test(n)) return FORMAT;
  if (plPeselCheckDigit(n) !== num(n, 10, 11)) return CHECKSUM;
  const coded = num(n, 2, 4);
  const offset = Math.floor(coded / 20) * 20;
  const century = ({ 80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200 } as Record<number, number>)[offset];
  if (century === undefined) return DATE;
  return dated(century + num(n, 0, 2), coded - offset, num(n, 4, 6));
}

function alphanumericValue(c: string): number {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/**
 * Portugal, Cartão de Cidadão check: over the 12 characters, from the right, every second
 * character's value (digits 0-9, letters A=10 … Z=35) is doubled, minus 9 when over 9; the sum
 * must be a multiple of 10. Returns the check digit for the first 11 characters.
 */
export function ptCitizenCardCheckDigit(firstEleven: string): number {
  let sum = 0;
  const chars = Array.from(firstEleven.slice(0, 11));
  for (let i = 0; i < chars.length; i++) {
    const fromRight = chars.length - i;
    let v = alphanumericValue(chars[i] ?? '0');
    if (fromRight % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Portugal, Cartão de Cidadão document number (12 characters: the 9-digit civil identification
 * number with its own check digit, a 2-letter version, a check digit). No birth date.
 */
export function validatePtCitizenCard(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!/^[0-9]{9}[A-Z]{2}[0-9]$/.test(n)) return FORMAT;
  return ptCitizenCardCheckDigit(n) === num(n, 11, 12) ? { ok: true } : CHECKSUM;
}

const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9] as const;

/** Romania, CNP check digit: weighted sum mod 11, where 10 becomes 1. */
export function roCnpCheckDigit(firstTwelve: string): number {
  const r = weightedSum(digitsOf(firstTwelve), CNP_WEIGHTS) % 11;
  return r === 10 ? 1 : r;
}

const CNP_CENTURY: Readonly<Record<string, number>> = {
  '1': 1900,
  '2': 1900,
  '3': 1800,
  '4': 1800,
  '5': 2000,
  '6': 2000,
};

/**
 * County codes (JJ) of the Romanian CNP: 01-46 the counties and Bucharest's sectors, 47-48 the
 * former sectors 7 and 8, 51 Călărași, 52 Giurgiu, 70 any county (foreign residents), 80-83 as
 * python-stdnum lists them. 49, 50 and the rest are not issued.
 */
export const RO_CNP_COUNTIES: CodeList = {
  codes: [
    ...Array.from({ length: 48 }, (_, i) => String(i + 1).padStart(2, '0')),
    '51',
    '52',
    '70',
    '80',
    '81',
    '82',
    '83',
  ],
  provenance: {
    source: ['STDNUM', 'WIKIPEDIA'],
    verified: false,
    note: 'The county list of python-stdnum (ro.cnp); the Romanian registry’s own list was not read.',
  },
};
const CNP_COUNTY_SET: ReadonlySet<string> = new Set(RO_CNP_COUNTIES.codes);

/**
 * Romania, CNP (13 digits, S YYMMDD JJ NNN C). S = sex and century: 1/2 1900s, 3/4 1800s,
 * 5/6 2000s; 7/8 foreign residents and 9 foreigners (no century: the date is checked in both
 * the 1900s and the 2000s and no birth date is derived; such people are not Romanian citizens,
 * but the structure is all a form can check). JJ = county (`RO_CNP_COUNTIES`).
 */
export function validateRoCnp(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!THIRTEEN_DIGITS.test(n) || n.charAt(0) === '0') return FORMAT;
  if (!CNP_COUNTY_SET.has(n.slice(7, 9))) return FORMAT;
  if (roCnpCheckDigit(n) !== num(n, 12, 13)) return CHECKSUM;
  const yy = num(n, 1, 3);
  const mm = num(n, 3, 5);
  const dd = num(n, 5, 7);
  const century = CNP_CENTURY[n.charAt(0)];
  if (century !== undefined) return dated(century + yy, mm, dd);
  return isRealDate(1900 + yy, mm, dd) || isRealDate(2000 + yy, mm, dd) ? { ok: true } : DATE;
}

/** Luhn check digit for a string of digits (the check digit to append). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  const d = digitsOf(digits);
  for (let i = 0; i < d.length; i++) {
    let v = d[d.length - 1 - i] ?? 0;
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Sweden, personnummer (and samordningsnummer). Accepted forms:
 * `YYMMDD-NNNC` / `YYMMDDNNNC` (under 100 years old), `YYMMDD+NNNC` (100 or older), and the
 * 12-digit `YYYYMMDD(-)NNNC`. The Luhn check runs over the 10-digit form. A coordination number
 * (samordningsnummer) adds 60 to the day: accepted, with the real day as birth date.
 * The 10-digit form takes the latest century that puts the birth date on or before `today`
 * (minus 100 years with `+`). The canonical stored form is the 12 digits, so that the 10- and
 * 12-digit spellings of one number are the same number.
 */
export function validateSePersonnummer(value: string, today: string): CheckResult {
  const compact = value.normalize('NFKC').replace(/\s+/gu, '');
  const plus = compact.includes('+');
  if (plus && !/^[0-9]{6}\+[0-9]{4}$/.test(compact)) return FORMAT;
  const n = normaliseDocumentNumber(compact.replace('+', ''));
  let ten: string;
  let year: number;
  if (/^[0-9]{12}$/.test(n)) {
    ten = n.slice(2);
    year = num(n, 0, 4);
  } else if (TEN_DIGITS.test(n)) {
    ten = n;
    const yy = num(n, 0, 2);
    const thisYear = Number(today.slice(0, 4));
    year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
    const monthDay = n.slice(2, 6);
    const dayValue = num(n, 4, 6);
    const realMonthDay = `${monthDay.slice(0, 2)}-${String(dayValue > 60 ? dayValue - 60 : dayValue).padStart(2, '0')}`;
    if (`${year}-${realMonthDay}` > today) year -= 100;
    if (plus) year -= 100;
  } else {
    return FORMAT;
  }
  if (luhnCheckDigit(ten.slice(0, 9)) !== num(ten, 9, 10)) return CHECKSUM;
  const month = num(ten, 2, 4);
  let day = num(ten, 4, 6);
  if (day > 60) day -= 60;
  return dated(year, month, day, `${String(year).padStart(4, '0')}${ten.slice(2)}`);
}

const EMSO_WEIGHTS = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * Slovenia, EMŠO check digit: (−weighted sum) mod 11 mod 10, so a result of 10 gives the check
 * digit 0 (as python-stdnum computes it; such numbers exist, about one stem in eleven).
 */
export function siEmsoCheckDigit(firstTwelve: string): number {
  return ((11 - (weightedSum(digitsOf(firstTwelve), EMSO_WEIGHTS) % 11)) % 11) % 10;
}

/**
 * Slovenia, EMŠO (13 digits, DDMMYYY RR BBB K). The 3-digit year is 1000+YYY from 800 up
 * (9xx = 1900s) and 2000+YYY below (0xx = 2000s).
 */
export function validateSiEmso(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!THIRTEEN_DIGITS.test(n)) return FORMAT;
  if (siEmsoCheckDigit(n) !== num(n, 12, 13)) return CHECKSUM;
  const yyy = num(n, 4, 7);
  return dated(yyy >= 800 ? 1000 + yyy : 2000 + yyy, num(n, 2, 4), num(n, 0, 2));
}

/**
 * Latvia, personas kods (11 digits). No check-digit rejection: Latvia's algorithm is not
 * confirmed by an independent source. Old codes are DDMMYY C NNNN with C the century
 * (0 1800s, 1 1900s, 2 2000s): the birth date is derived and must be real. Codes issued from
 * 2017 start with 32 and carry no date.
 */
export function validateLvPersonasKods(value: string): CheckResult {
  const n = normaliseDocumentNumber(value);
  if (!ELEVEN_DIGITS.test(n)) return FORMAT;
  if (n.startsWith('32')) return { ok: true };
  const centuryDigit = num(n, 6, 7);
  if (centuryDigit > 2) return FORMAT;
  return dated(1800 + 100 * centuryDigit + num(n, 4, 6), num(n, 2, 4), num(n, 0, 2));
}

/** Identifiers of the validators, as the rulebook data names them. */
export const DOCUMENT_NUMBER_VALIDATORS = {
  BE_NATIONAL_REGISTER_NUMBER: validateBeNationalRegisterNumber,
  BG_EGN: validateBgEgn,
  EE_ISIKUKOOD: validateEeIsikukood,
  ES_DNI: validateEsDni,
  HR_OIB: validateHrOib,
  LT_ASMENS_KODAS: validateLtAsmensKodas,
  LV_PERSONAS_KODS: validateLvPersonasKods,
  PL_PESEL: validatePlPesel,
  PT_CITIZEN_CARD: validatePtCitizenCard,
  RO_CNP: validateRoCnp,
  SE_PERSONNUMMER: validateSePersonnummer,
  SI_EMSO: validateSiEmso,
} as const satisfies Record<string, DocumentNumberValidator>;

export type DocumentNumberValidatorId = keyof typeof DOCUMENT_NUMBER_VALIDATORS;
