/**
 * The 27 Member States as data: Annex III part, minimum age, seats, and the personal numbers and
 * documents each accepts (Part B), with their formats and check digits. (The Annex I thresholds
 * are computed from the seats: `thresholds.ts`.)
 *
 * Compiled in November 2026 from the public sources of `sources.ts`, cited per value in its
 * provenance; `test/unit/shared/rulebook/member-states.test.ts` cross-checks the values against
 * the compiled table kept in `test/fixtures/reference/member-states.json`.
 * Unverified values are marked `verified: false` with a note: keep them visible, and bump
 * `ANNEX_REVISION` whenever a rule here changes.
 */
import type { DocumentType, MemberStateCode } from '../statement';
import type { DocumentNumberValidatorId } from './checksums';
import { EU_POSTAL_CODE_RULES, GENERIC_POSTAL_CODE } from './countries';
import type { DocumentRule, LegacyOcsKey, MemberStateRules, Provenance, SignatoryNote } from './types';

const COMMISSION_PAGE: Provenance = { source: ['DR'], verified: true };
const SEATS_2024: Provenance = {
  source: ['SEATS-2023'],
  verified: true,
  note: 'European Council Decision (EU) 2023/2061, as summarised by the European Parliament.',
};
const SEATS_2019: Provenance = {
  source: ['SEATS-2019'],
  verified: false,
  note: '2019-2024 seats after the UK withdrawal, from memory; they sum to 705 (checked in tests).',
};
const PART_A_DOCUMENTS: Provenance = { source: ['DR'], verified: true, note: 'Part A: no document.' };
const PART_VERIFIED: Provenance = { source: ['DR'], verified: true };
const PART_FROM_LT: Provenance = {
  source: ['DR-LT', 'EC-OCS-SQL'],
  verified: true,
  note: 'The row was cut off in every copy of the Commission page; confirmed by the Lithuanian electoral commission page.',
};
const FORMAT_FROM_PUBLIC_CODE: Provenance = {
  source: ['PROCA'],
  verified: false,
  note: 'Format from public code (described as EC-released data); each alternative anchored here.',
};
const FREE_ALPHANUMERIC: Provenance = {
  source: ['PROCA'],
  verified: false,
  note: 'Public code accepts any letters and digits: no format is known, so any alphanumeric number is accepted.',
};
const CHECK_FROM_STDNUM: Provenance = {
  source: ['STDNUM', 'WIKIPEDIA'],
  verified: false,
  note: 'Algorithm from its published descriptions; the issuing authority’s specification was not read.',
};

/**
 * Passports and ID cards: a number of an unusual format may be confirmed (document formats change
 * faster than any table). The Commission's software treats every format check as a warning.
 */
const OVERRIDABLE: Provenance = {
  source: ['API', 'EC-OCS-SQL'],
  verified: true,
  note: 'The contract: an unusual passport or ID-card number is format_unconfirmed, accepted with confirmDocumentFormat.',
};
/**
 * Personal numbers and citizen cards: the format is part of the number's definition (and of its
 * check digit), so a mismatch is refused. The Commission's software only warns here.
 */
const NOT_OVERRIDABLE: Provenance = {
  source: ['API', 'PROJECT'],
  verified: false,
  note: 'The contract makes check digits never overridable and allows confirmation for passports and ID cards only; a personal number of the wrong shape is refused here, although the Commission’s software only warns.',
};

const ALNUM = /^[A-Z0-9]+$/i;
const DIGITS_10 = /^[0-9]{10}$/;
const DIGITS_11 = /^[0-9]{11}$/;
const DIGITS_13 = /^[0-9]{13}$/;

interface DocInput {
  readonly type: DocumentType;
  readonly nativeNames: readonly string[];
  readonly englishName: string;
  readonly legacyOcsKey: LegacyOcsKey;
  readonly patterns: readonly RegExp[];
  readonly rejectPatterns?: readonly RegExp[];
  readonly validator?: DocumentNumberValidatorId;
  readonly hasCheckDigit?: boolean;
  readonly encodesBirthDate?: boolean;
  readonly formatHint: string;
  readonly accepted?: Provenance;
  readonly format?: Provenance;
  readonly checkDigit?: Provenance;
}

/** A personal number or citizen card: a format mismatch is a hard `invalid_format`. */
function personal(input: DocInput): DocumentRule {
  return build(input, 'invalid_format', NOT_OVERRIDABLE);
}

/** A passport or ID card: a format mismatch is `format_unconfirmed` (the citizen may confirm). */
function travelDocument(input: DocInput): DocumentRule {
  return build(input, 'format_unconfirmed', OVERRIDABLE);
}

function build(
  input: DocInput,
  onFormatMismatch: DocumentRule['onFormatMismatch'],
  policy: Provenance,
): DocumentRule {
  const hasCheckDigit = input.hasCheckDigit ?? input.validator !== undefined;
  return {
    type: input.type,
    nativeNames: input.nativeNames,
    englishName: input.englishName,
    legacyOcsKey: input.legacyOcsKey,
    patterns: input.patterns,
    rejectPatterns: input.rejectPatterns ?? [],
    validator: input.validator ?? null,
    hasCheckDigit,
    encodesBirthDate: input.encodesBirthDate ?? false,
    onFormatMismatch,
    formatHint: input.formatHint,
    provenance: {
      accepted: input.accepted ?? COMMISSION_PAGE,
      format: input.format ?? FORMAT_FROM_PUBLIC_CODE,
      onFormatMismatch: policy,
      ...(hasCheckDigit || input.checkDigit ? { checkDigit: input.checkDigit ?? CHECK_FROM_STDNUM } : {}),
    },
  };
}

const passport = (
  nativeNames: readonly string[],
  patterns: readonly RegExp[],
  formatHint: string,
  format?: Provenance,
) =>
  travelDocument({
    type: 'passport',
    nativeNames,
    englishName: 'Passport',
    legacyOcsKey: 'passport',
    patterns,
    formatHint,
    ...(format ? { format } : {}),
  });

const idCard = (
  nativeNames: readonly string[],
  patterns: readonly RegExp[],
  formatHint: string,
  format?: Provenance,
) =>
  travelDocument({
    type: 'idCard',
    nativeNames,
    englishName: 'Identity card',
    legacyOcsKey: 'id.card',
    patterns,
    formatHint,
    ...(format ? { format } : {}),
  });

interface StateInput {
  readonly code: MemberStateCode;
  readonly iso?: string;
  readonly name: string;
  readonly part: 'A' | 'B';
  readonly minAge: number;
  readonly epSeats2024: number;
  readonly epSeats2019: number;
  readonly documents?: readonly DocumentRule[];
  readonly signatoryNote?: SignatoryNote;
  readonly partProvenance?: Provenance;
  readonly minAgeProvenance?: Provenance;
  readonly documentsProvenance?: Provenance;
}

function state(input: StateInput): MemberStateRules {
  return {
    code: input.code,
    iso: input.iso ?? input.code,
    name: input.name,
    part: input.part,
    minAge: input.minAge,
    epSeats2024: input.epSeats2024,
    epSeats2019: input.epSeats2019,
    documents: input.documents ?? [],
    postalCode: EU_POSTAL_CODE_RULES[input.iso ?? input.code] ?? GENERIC_POSTAL_CODE,
    ...(input.signatoryNote ? { signatoryNote: input.signatoryNote } : {}),
    provenance: {
      part: input.partProvenance ?? PART_VERIFIED,
      minAge: input.minAgeProvenance ?? COMMISSION_PAGE,
      epSeats2024: SEATS_2024,
      epSeats2019: SEATS_2019,
      documents: input.documentsProvenance ?? (input.part === 'A' ? PART_A_DOCUMENTS : COMMISSION_PAGE),
    },
  };
}

const LIST: readonly MemberStateRules[] = [
  state({
    code: 'BE',
    name: 'Belgium',
    part: 'B',
    minAge: 16,
    epSeats2024: 22,
    epSeats2019: 21,
    minAgeProvenance: {
      source: ['DR', 'NGO-AGE'],
      verified: false,
      note: '16 on the current Commission page; older copies show 18. Changed on 2023-05-01 per an NGO source (unconfirmed).',
    },
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Rijksregisternummer', 'Numéro de Registre National', 'Nummer des Nationalregisters'],
        englishName: 'National register number',
        legacyOcsKey: 'national.id.number',
        patterns: [DIGITS_11],
        validator: 'BE_NATIONAL_REGISTER_NUMBER',
        encodesBirthDate: true,
        formatHint: 'YY.MM.DD-XXX.CC',
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'mod 97 with the "2" prefix for births from 2000; BIS numbers (month +20/+40) accepted; month or day 00 (unknown date) accepted without a derived birth date.',
        },
      }),
    ],
  }),
  state({
    code: 'BG',
    name: 'Bulgaria',
    part: 'B',
    minAge: 18,
    epSeats2024: 17,
    epSeats2019: 17,
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Единен граждански номер (ЕГН)', 'EGN / ЕГН'],
        englishName: 'Personal number (EGN)',
        legacyOcsKey: 'personal.number',
        patterns: [DIGITS_10],
        validator: 'BG_EGN',
        encodesBirthDate: true,
        formatHint: '10 digits',
      }),
    ],
  }),
  state({
    code: 'CZ',
    name: 'Czechia',
    part: 'B',
    minAge: 18,
    epSeats2024: 21,
    epSeats2019: 21,
    documents: [
      idCard(
        ['Občanský průkaz'],
        [/^[0-9]{9}$/, /^[0-9]{6}[A-Z]{2}[0-9]{2}$/i, /^[0-9]{6}[A-Z]{2}$/i, /^[A-Z]{2}[0-9]{6}$/i],
        '9 digits',
      ),
      passport(['Cestovní pas'], [/^[0-9]{7,8}$/], '8 digits'),
    ],
  }),
  state({ code: 'DK', name: 'Denmark', part: 'A', minAge: 18, epSeats2024: 15, epSeats2019: 14 }),
  state({
    code: 'DE',
    name: 'Germany',
    part: 'A',
    minAge: 16,
    epSeats2024: 96,
    epSeats2019: 96,
    minAgeProvenance: {
      source: ['DR', 'NGO-AGE'],
      verified: true,
      note: '16 on the Commission page; from 2023-01-01 per an NGO source (date unconfirmed).',
    },
    signatoryNote: {
      id: 'residenceAbroadRegistered',
      text: 'Germans living outside Germany count only if they have registered their residence with the competent German diplomatic mission.',
      provenance: {
        source: ['DR'],
        verified: false,
        note: 'The footnote of the Commission page for Germany; its text was read in a secondary compilation only.',
      },
    },
  }),
  state({
    code: 'EE',
    name: 'Estonia',
    part: 'B',
    minAge: 16,
    epSeats2024: 7,
    epSeats2019: 7,
    minAgeProvenance: {
      source: ['DR'],
      verified: true,
      note: 'The English copy of the Commission page lacks the EE row; the IT, LT, FI, CS and HR versions show 16 / B / isikukood.',
    },
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Isikukood'],
        englishName: 'Personal identification code',
        legacyOcsKey: 'personal.number',
        patterns: [DIGITS_11],
        validator: 'EE_ISIKUKOOD',
        encodesBirthDate: true,
        formatHint: '11 digits',
      }),
    ],
  }),
  state({ code: 'IE', name: 'Ireland', part: 'A', minAge: 18, epSeats2024: 14, epSeats2019: 13 }),
  state({
    code: 'EL',
    iso: 'GR',
    name: 'Greece',
    part: 'A',
    minAge: 17,
    epSeats2024: 21,
    epSeats2019: 21,
    partProvenance: {
      source: ['DR', 'EC-OCS-SQL'],
      verified: false,
      note: 'Part A verified; the date of birth is kept for Greece as the Commission defines Part A, although the old EC OCS table omits it for EL.',
    },
  }),
  state({
    code: 'ES',
    name: 'Spain',
    part: 'B',
    minAge: 18,
    epSeats2024: 61,
    epSeats2019: 59,
    documents: [
      travelDocument({
        type: 'idCard',
        nativeNames: ['Documento Nacional de Identidad (DNI)'],
        englishName: 'National identity document (DNI)',
        legacyOcsKey: 'id.card',
        patterns: [/^[0-9]{8}[A-Z]$/i],
        rejectPatterns: [/^[XYZ][0-9]{7}[A-Z]$/i],
        validator: 'ES_DNI',
        formatHint: '12345678Z',
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'Control letter TRWAGMYFPDXBNJZSQVHLCKE[number mod 23], the number padded to 8 digits (older DNIs have fewer), also when an unusual format is confirmed; NIE numbers (X/Y/Z) are foreigners’ numbers: invalid_format.',
        },
      }),
      passport(['Pasaporte'], [ALNUM], 'letters and digits', FREE_ALPHANUMERIC),
    ],
  }),
  state({ code: 'FR', name: 'France', part: 'A', minAge: 18, epSeats2024: 81, epSeats2019: 79 }),
  state({
    code: 'HR',
    name: 'Croatia',
    part: 'B',
    minAge: 18,
    epSeats2024: 12,
    epSeats2019: 12,
    documentsProvenance: {
      source: ['DR', 'EC-OCS-SQL'],
      verified: true,
      note: 'OIB only; the passport in the old EC OCS table is a leftover of Regulation 211/2011.',
    },
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Osobni identifikacijski broj (OIB)'],
        englishName: 'Personal identification number (OIB)',
        legacyOcsKey: 'personal.id',
        patterns: [DIGITS_11],
        validator: 'HR_OIB',
        formatHint: '11 digits',
        checkDigit: { source: ['STDNUM', 'WIKIPEDIA'], verified: false, note: 'ISO 7064 MOD 11,10.' },
      }),
    ],
  }),
  state({
    code: 'IT',
    name: 'Italy',
    part: 'B',
    minAge: 18,
    epSeats2024: 76,
    epSeats2019: 76,
    documents: [
      passport(['Passaporto'], [/^[A-Z]{2}[0-9]{7}$/i, /^[A-Z][0-9]{6}$/i, /^[0-9]{6}[A-Z]$/i], 'YA1234567'),
      idCard(
        ["Carta d'identità"],
        [/^[A-Z]{2}[0-9]{6,8}$/i, /^[0-9]{7}[A-Z]{2}$/i, /^[A-Z]{2}[0-9]{5}[A-Z]{2}$/i],
        'CA12345AB',
      ),
    ],
  }),
  state({
    code: 'CY',
    name: 'Cyprus',
    part: 'B',
    minAge: 18,
    epSeats2024: 6,
    epSeats2019: 6,
    documents: [
      idCard(['Δελτίο Ταυτότητας'], [/^[0-9]{1,10}$/], 'up to 10 digits'),
      passport(['Διαβατήριο'], [/^[BCEJ][0-9]{6}$/i, /^K[0-9]{8}$/i, /^[DS]P[0-9]{7}$/i], 'K12345678'),
    ],
  }),
  state({
    code: 'LV',
    name: 'Latvia',
    part: 'B',
    minAge: 18,
    epSeats2024: 9,
    epSeats2019: 8,
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Personas kods'],
        englishName: 'Personal code',
        legacyOcsKey: 'personal.id',
        patterns: [DIGITS_11],
        validator: 'LV_PERSONAS_KODS',
        hasCheckDigit: false,
        encodesBirthDate: true,
        formatHint: 'DDMMYY-XXXXX',
        checkDigit: {
          source: ['STDNUM'],
          verified: false,
          note: 'Not applied: the published algorithm (weights 10,5,8,4,2,1,6,3,7,9; (1+sum) mod 11 mod 10) is not confirmed by an independent source. Format and birth date only; codes from 2017 start with 32 and carry no date.',
        },
      }),
    ],
  }),
  state({
    code: 'LT',
    name: 'Lithuania',
    part: 'B',
    minAge: 18,
    epSeats2024: 11,
    epSeats2019: 11,
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Asmens kodas'],
        englishName: 'Personal code',
        legacyOcsKey: 'personal.number',
        patterns: [DIGITS_11],
        validator: 'LT_ASMENS_KODAS',
        encodesBirthDate: true,
        formatHint: '11 digits',
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'Same algorithm as the Estonian isikukood; codes starting with 9 (exceptional cases) carry no birth date.',
        },
      }),
    ],
  }),
  state({ code: 'LU', name: 'Luxembourg', part: 'A', minAge: 18, epSeats2024: 6, epSeats2019: 6 }),
  state({
    code: 'HU',
    name: 'Hungary',
    part: 'B',
    minAge: 18,
    epSeats2024: 21,
    epSeats2019: 21,
    documents: [
      idCard(
        ['Személyazonosító igazolvány'],
        [/^[0-9]{6}[A-Z]{2}$/i, /^[A-Z]{3,5}[0-9]{6}$/i, /^[A-Z]{2}[0-9]{6}$/i],
        '123456AB',
      ),
      passport(['Útlevél'], [/^[A-Z]{2}[0-9]{6,7}$/i], 'AB1234567'),
      personal({
        type: 'personalNumber',
        nativeNames: ['Személyi azonosító (személyi szám)'],
        englishName: 'Personal identification number',
        legacyOcsKey: 'personal.number',
        patterns: [DIGITS_11],
        formatHint: '11 digits',
        format: {
          source: ['PROCA'],
          verified: false,
          note: 'Format only: the number encodes sex and birth date and has a check digit, but the contract lists Hungary under neither rule, so neither is applied.',
        },
      }),
    ],
  }),
  state({
    code: 'MT',
    name: 'Malta',
    part: 'B',
    minAge: 16,
    epSeats2024: 6,
    epSeats2019: 6,
    documentsProvenance: {
      source: ['DR', 'EC-OCS-SQL'],
      verified: true,
      note: 'Identity card only; the residence permit in the old EC OCS table is a leftover of Regulation 211/2011.',
    },
    documents: [idCard(['Karta tal-Identità'], [ALNUM], '1234567M', FREE_ALPHANUMERIC)],
  }),
  state({ code: 'NL', name: 'Netherlands', part: 'A', minAge: 18, epSeats2024: 31, epSeats2019: 29 }),
  state({
    code: 'AT',
    name: 'Austria',
    part: 'B',
    minAge: 16,
    epSeats2024: 20,
    epSeats2019: 19,
    documents: [
      passport(['Reisepass'], [/^[A-Z][0-9]{7,8}$/i], 'P1234567'),
      idCard(['Personalausweis'], [/^[0-9]{7}$/, /^[0-9]{8}$/], '12345678'),
    ],
  }),
  state({
    code: 'PL',
    name: 'Poland',
    part: 'B',
    minAge: 18,
    epSeats2024: 53,
    epSeats2019: 52,
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Numer ewidencyjny PESEL', 'PESEL'],
        englishName: 'PESEL number',
        legacyOcsKey: 'national.id.number',
        patterns: [DIGITS_11],
        validator: 'PL_PESEL',
        encodesBirthDate: true,
        formatHint: '11 digits',
      }),
    ],
  }),
  state({
    code: 'PT',
    name: 'Portugal',
    part: 'B',
    minAge: 18,
    epSeats2024: 21,
    epSeats2019: 21,
    documents: [
      idCard(['Bilhete de identidade'], [/^[0-9]{1,8}$/], 'up to 8 digits'),
      passport(['Passaporte'], [/^[A-Z]{1,2}[0-9]{6}$/i], 'C123456'),
      personal({
        type: 'citizensCard',
        nativeNames: ['Cartão de Cidadão'],
        englishName: 'Citizen card',
        legacyOcsKey: 'citizens.card',
        patterns: [/^[0-9]{9}[A-Z]{2}[0-9]$/i],
        validator: 'PT_CITIZEN_CARD',
        formatHint: '12345678 9 ZZ1',
      }),
    ],
  }),
  state({
    code: 'RO',
    name: 'Romania',
    part: 'B',
    minAge: 18,
    epSeats2024: 33,
    epSeats2019: 33,
    documents: [
      idCard(['Carte de identitate'], [/^[A-Z]{2}[0-9]{6}$/i], 'AB123456'),
      passport(['Pașaport'], [ALNUM], 'letters and digits', FREE_ALPHANUMERIC),
      personal({
        type: 'personalNumber',
        nativeNames: ['Cod numeric personal (CNP)'],
        englishName: 'Personal numeric code (CNP)',
        legacyOcsKey: 'personal.id',
        patterns: [DIGITS_13],
        validator: 'RO_CNP',
        encodesBirthDate: true,
        formatHint: '13 digits',
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'Weights 2,7,9,1,4,6,3,5,8,2,7,9, sum mod 11, 10 → 1; county codes in RO_CNP_COUNTIES. python-stdnum notes the algorithm is not independently confirmed; the contract requires it.',
        },
      }),
    ],
  }),
  state({
    code: 'SI',
    name: 'Slovenia',
    part: 'B',
    minAge: 18,
    epSeats2024: 9,
    epSeats2019: 8,
    minAgeProvenance: {
      source: ['DR'],
      verified: false,
      note: '18: the row was only partly visible in the Commission page excerpt.',
    },
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Enotna matična številka občana (EMŠO)'],
        englishName: 'Unique master citizen number (EMŠO)',
        legacyOcsKey: 'personal.number',
        patterns: [DIGITS_13],
        validator: 'SI_EMSO',
        encodesBirthDate: true,
        formatHint: '13 digits',
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'Weights 7,6,5,4,3,2,7,6,5,4,3,2, check = (−sum) mod 11 mod 10: a result of 10 gives check digit 0 (as python-stdnum and the reference notes have it).',
        },
      }),
    ],
  }),
  state({
    code: 'SK',
    name: 'Slovakia',
    part: 'A',
    minAge: 18,
    epSeats2024: 15,
    epSeats2019: 14,
    partProvenance: PART_FROM_LT,
    minAgeProvenance: {
      source: ['DR'],
      verified: false,
      note: 'Default 18: the row was not visible in the Commission page excerpts.',
    },
  }),
  state({
    code: 'FI',
    name: 'Finland',
    part: 'A',
    minAge: 16,
    epSeats2024: 15,
    epSeats2019: 14,
    partProvenance: PART_FROM_LT,
    minAgeProvenance: {
      source: ['FI-NEWS'],
      verified: true,
      note: '16 from 2025-07-01; older pages show 18.',
    },
  }),
  state({
    code: 'SE',
    name: 'Sweden',
    part: 'B',
    minAge: 18,
    epSeats2024: 21,
    epSeats2019: 21,
    partProvenance: PART_FROM_LT,
    minAgeProvenance: {
      source: ['DR'],
      verified: false,
      note: 'Default 18: the row was not visible in the Commission page excerpts.',
    },
    documentsProvenance: {
      source: ['EC-OCS-SQL', 'PROCA'],
      verified: false,
      note: 'Personnummer: the name comes from the EC OCS code only; the Swedish row of the Commission page was cut off.',
    },
    documents: [
      personal({
        type: 'personalNumber',
        nativeNames: ['Personnummer'],
        englishName: 'Personal identity number',
        legacyOcsKey: 'personal.number',
        patterns: [/^[0-9]{10}$/, /^[0-9]{12}$/],
        validator: 'SE_PERSONNUMMER',
        encodesBirthDate: true,
        formatHint: 'YYYYMMDD-XXXX',
        accepted: {
          source: ['EC-OCS-SQL', 'PROCA'],
          verified: false,
          note: 'Name from the EC OCS code only.',
        },
        checkDigit: {
          source: ['STDNUM', 'WIKIPEDIA'],
          verified: false,
          note: 'Luhn over the 10-digit form; "+" marks 100 years or older; coordination numbers (day + 60) accepted; stored as 12 digits.',
        },
      }),
    ],
  }),
];

/** The rules of every Member State, keyed by EU code. */
export const MEMBER_STATE_RULES: Readonly<Record<MemberStateCode, MemberStateRules>> = Object.freeze(
  Object.fromEntries(LIST.map((rules) => [rules.code, rules])) as Record<MemberStateCode, MemberStateRules>,
);

/** The rules of every Member State, in protocol order (`MEMBER_STATES`). */
export const MEMBER_STATE_LIST: readonly MemberStateRules[] = LIST;

/** Part A Member States (residence and date of birth). */
export const PART_A_STATES: readonly MemberStateCode[] = LIST.filter((s) => s.part === 'A').map(
  (s) => s.code,
);

/** Part B Member States (personal number or document). */
export const PART_B_STATES: readonly MemberStateCode[] = LIST.filter((s) => s.part === 'B').map(
  (s) => s.code,
);

/** The document rule of a Member State for one document type, if that state accepts it. */
export function documentRule(code: MemberStateCode, type: DocumentType): DocumentRule | undefined {
  return MEMBER_STATE_RULES[code].documents.find((d) => d.type === type);
}
