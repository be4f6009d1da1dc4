/**
 * ISO 3166-1 alpha-2 country codes, for the Part A `countryOfResidence` field, and the
 * postal-code formats of the EU countries of residence.
 */
import type { PostalCodeRule, Provenance } from './types';

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes, plus `XK` (Kosovo): a user-assigned code
 * that the EU institutions use, added so that citizens living in Kosovo can give their residence.
 */
export const ISO_COUNTRY_CODES: readonly string[] = Object.freeze(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK'
  ).split(' '),
);

const ISO_SET: ReadonlySet<string> = new Set(ISO_COUNTRY_CODES);

/**
 * Normalises a country-of-residence code: trimmed, upper case, `EL` (the EU's code for Greece)
 * stored as `GR`. Returns `undefined` when the code is not an assigned ISO 3166-1 alpha-2 code.
 */
export function normaliseCountryOfResidence(value: string): string | undefined {
  const code = value.trim().toUpperCase();
  const iso = code === 'EL' ? 'GR' : code;
  return ISO_SET.has(iso) ? iso : undefined;
}

const POSTAL_COMMISSION: Provenance = {
  source: ['EC-OCS-SQL', 'PROCA'],
  verified: false,
  note: 'The pattern of the Commission’s collection software (a warning there, not a refusal), read in public code; a space where the national format writes one is accepted here too.',
};
const POSTAL_RECALLED: Provenance = {
  source: ['UPU'],
  verified: false,
  note: 'Format of the national postal operator, recalled; not read in a primary source.',
};
const PREFIXES: Provenance = {
  source: ['CEPT', 'API'],
  verified: false,
  note: 'The ISO code and the international vehicle code of the country; the contract names D-, L- and DK-. Removed only before a hyphen or a digit, so codes that start with letters (IE, MT) keep them.',
};
const NOT_EMPTY: Provenance = {
  source: ['API'],
  verified: true,
  note: 'The contract lets the postal code be empty for IE only.',
};
const IRELAND_MAY_BE_EMPTY: Provenance = {
  source: ['API', 'EC-OCS-SQL'],
  verified: false,
  note: 'Eircodes (2015) are not known to everyone. The Commission’s software checks the Irish postal code for presence only; the contract lets it be empty for IE. Applied to residents of Ireland and to Irish citizens living anywhere.',
};

function postal(
  iso: string,
  prefixes: readonly string[],
  patterns: readonly RegExp[],
  formatHint: string,
  format = POSTAL_RECALLED,
): PostalCodeRule {
  return {
    iso,
    patterns,
    prefixes,
    formatHint,
    mayBeEmpty: false,
    provenance: { format, prefixes: PREFIXES, mayBeEmpty: NOT_EMPTY },
  };
}

/**
 * Postal-code formats of the EU countries of residence, keyed by ISO code. Applied to the trimmed
 * value without its country prefix; every alternative is anchored and case-insensitive. Where the
 * Commission's software has a pattern (the Part A states), it is that pattern, plus the space
 * where the national format writes one; a unit test compares them.
 */
export const EU_POSTAL_CODE_RULES: Readonly<Record<string, PostalCodeRule>> = Object.freeze(
  Object.fromEntries(
    [
      postal('AT', ['AT', 'A'], [/^[1-9][0-9]{3}$/i], '1010'),
      postal('BE', ['BE', 'B'], [/^[1-9][0-9]{3}$/i], '1000'),
      postal('BG', ['BG'], [/^[1-9][0-9]{3}$/i], '1000'),
      postal('CY', ['CY'], [/^[1-9][0-9]{3}$/i], '1010'),
      postal('CZ', ['CZ'], [/^[1-7][0-9]{2} ?[0-9]{2}$/i], '110 00'),
      postal('DE', ['DE', 'D'], [/^[0-9]{5}$/i], '10115', POSTAL_COMMISSION),
      postal('DK', ['DK'], [/^[0-9]{4}$/i], '1050', POSTAL_COMMISSION),
      postal('EE', ['EE', 'EST'], [/^[0-9]{5}$/i], '10111'),
      postal('ES', ['ES', 'E'], [/^(?:0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$/i], '28001'),
      postal('FI', ['FI', 'FIN'], [/^[0-9]{5}$/i], '00100', POSTAL_COMMISSION),
      postal('FR', ['FR', 'F'], [/^[0-9]{5}$/i], '75001', POSTAL_COMMISSION),
      postal('GR', ['GR', 'EL'], [/^[0-9]{3} ?[0-9]{2}$/i], '105 57', POSTAL_COMMISSION),
      postal('HR', ['HR'], [/^[1-5][0-9]{4}$/i], '10000'),
      postal('HU', ['HU', 'H'], [/^[1-9][0-9]{3}$/i], '1051'),
      {
        ...postal(
          'IE',
          ['IE', 'IRL'],
          [/^[AC-FHKNPRTV-Y][0-9]{2} ?[0-9AC-FHKNPRTV-Y]{4}$/i, /^D6W ?[0-9AC-FHKNPRTV-Y]{4}$/i],
          'D02 X285',
        ),
        mayBeEmpty: true,
        provenance: {
          format: POSTAL_RECALLED,
          prefixes: PREFIXES,
          mayBeEmpty: IRELAND_MAY_BE_EMPTY,
        },
      },
      postal('IT', ['IT', 'I'], [/^[0-9]{5}$/i], '00184'),
      postal('LT', ['LT'], [/^[0-9]{5}$/i], '01100'),
      postal('LU', ['LU', 'L'], [/^[0-9]{4}$/i], '1111', POSTAL_COMMISSION),
      postal('LV', ['LV'], [/^[0-9]{4}$/i], '1050'),
      postal('MT', ['MT', 'M'], [/^[A-Z]{3} ?[0-9]{2,4}$/i], 'VLT 1117'),
      postal('NL', ['NL'], [/^[1-9][0-9]{3} ?[A-Z]{2}$/i], '1234 AB', POSTAL_COMMISSION),
      postal('PL', ['PL'], [/^[0-9]{2}-?[0-9]{3}$/i], '00-950'),
      postal('PT', ['PT', 'P'], [/^[1-9][0-9]{3}-?[0-9]{3}$/i, /^[1-9][0-9]{3}$/i], '1000-001'),
      postal('RO', ['RO'], [/^[0-9]{6}$/i], '010011'),
      postal('SE', ['SE', 'S'], [/^[1-9][0-9]{2} ?[0-9]{2}$/i], '114 55'),
      postal('SI', ['SI', 'SLO'], [/^[1-9][0-9]{3}$/i], '1000'),
      postal('SK', ['SK'], [/^[089][0-9]{2} ?[0-9]{2}$/i], '811 01', POSTAL_COMMISSION),
    ].map((rule) => [rule.iso, rule]),
  ),
);

/**
 * Postal codes of countries outside the EU: a letter or digit, then 1-11 letters, digits, spaces or
 * hyphens (covers e.g. `SW1A 1AA`, `12345-6789`, `K1A 0B1`, `100-0001`). A code of another shape
 * is `format_unconfirmed`, like an unusual EU code.
 */
export const GENERIC_POSTAL_CODE: PostalCodeRule = {
  iso: '*',
  patterns: [/^[A-Z0-9][A-Z0-9 -]{1,11}$/i],
  prefixes: [],
  formatHint: 'letters and digits',
  mayBeEmpty: false,
  provenance: {
    format: { source: ['PROJECT'], verified: false, note: 'A permissive shape check, not a format.' },
    prefixes: {
      source: ['CEPT'],
      verified: false,
      note: 'The ISO code of the country, before a hyphen only: some national formats start with it (AD500).',
    },
    mayBeEmpty: NOT_EMPTY,
  },
};

/** The postal-code rule of a country of residence (ISO code), the generic one outside the EU. */
export function postalCodeRule(countryOfResidence: string): PostalCodeRule {
  return EU_POSTAL_CODE_RULES[countryOfResidence.toUpperCase()] ?? GENERIC_POSTAL_CODE;
}

const PREFIX_PATTERNS = new Map<string, RegExp>();

/** The country prefixes of a country of residence: its rule's, or its ISO code outside the EU. */
function prefixPattern(countryOfResidence: string): RegExp {
  const iso = countryOfResidence.toUpperCase();
  let pattern = PREFIX_PATTERNS.get(iso);
  if (pattern === undefined) {
    const rule = EU_POSTAL_CODE_RULES[iso];
    if (rule) {
      // Longest first, so `FIN-` is not read as `FI` followed by `N-`.
      const sorted = [...rule.prefixes].sort((a, b) => b.length - a.length);
      pattern = new RegExp(`^(?:${sorted.join('|')})(?:\\s*-\\s*|(?=[0-9]))`, 'i');
    } else {
      // Elsewhere only before a hyphen: some national formats start with the ISO code (`AD500`).
      pattern = /^[A-Z]{2}$/.test(iso) ? new RegExp(`^${iso}\\s*-\\s*`, 'i') : /^(?!)/;
    }
    PREFIX_PATTERNS.set(iso, pattern);
  }
  return pattern;
}

/**
 * Removes a leading country prefix of the country of residence (`D-10115` → `10115`,
 * `L-1140` → `1140`, `LV1050` → `1050`); a prefix of another country stays (then the format
 * check decides). Trims the result.
 */
export function withoutCountryPrefix(postalCode: string, countryOfResidence: string): string {
  const value = postalCode.trim();
  return value.replace(prefixPattern(countryOfResidence), '').trim();
}

/** True when the postal code, without its country prefix, has the usual format of the country. */
export function isValidPostalCode(postalCode: string, countryOfResidence: string): boolean {
  const value = withoutCountryPrefix(postalCode, countryOfResidence);
  return postalCodeRule(countryOfResidence).patterns.some((p) => p.test(value));
}

/** Result of `checkPostalCode`. */
export type PostalCodeCheck =
  | {
      readonly ok: true;
      /** The code to store: trimmed, without the country prefix. */
      readonly postalCode: string;
      /** True when the code matched no known format and the citizen confirmed it. */
      readonly confirmed: boolean;
    }
  | { readonly ok: false; readonly code: 'required' | 'format_unconfirmed' };

/**
 * Checks a postal code (already checked for characters and length) against the country of
 * residence: the country prefix is removed; an empty code is `required` unless `mayBeEmpty`; a
 * code of an unusual format is `format_unconfirmed`, accepted with `confirm`.
 */
export function checkPostalCode(
  postalCode: string,
  countryOfResidence: string,
  options: { readonly mayBeEmpty: boolean; readonly confirm: boolean },
): PostalCodeCheck {
  const value = withoutCountryPrefix(postalCode, countryOfResidence);
  if (value === '') {
    return options.mayBeEmpty
      ? { ok: true, postalCode: '', confirmed: false }
      : { ok: false, code: 'required' };
  }
  if (postalCodeRule(countryOfResidence).patterns.some((p) => p.test(value))) {
    return { ok: true, postalCode: value, confirmed: false };
  }
  return options.confirm
    ? { ok: true, postalCode: value, confirmed: true }
    : { ok: false, code: 'format_unconfirmed' };
}

/**
 * True when the postal code may be empty: the rule of the country of residence allows it, or that
 * of the nationality's own country (Ireland: for Irish citizens living anywhere).
 */
export function postalCodeMayBeEmptyFor(nationalityIso: string, countryOfResidence: string): boolean {
  return (
    (EU_POSTAL_CODE_RULES[nationalityIso.toUpperCase()]?.mayBeEmpty ?? false) ||
    postalCodeRule(countryOfResidence).mayBeEmpty
  );
}
