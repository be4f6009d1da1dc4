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

const POSTAL_PUBLIC_CODE: Provenance = {
  source: ['PROCA'],
  verified: false,
  note: 'From public code (described as EC data); optional spaces and the usual country prefix accepted here.',
};
const POSTAL_RECALLED: Provenance = {
  source: ['UPU'],
  verified: false,
  note: 'Format of the national postal operator, recalled; not read in a primary source.',
};

function postal(
  iso: string,
  patterns: readonly RegExp[],
  formatHint: string,
  provenance = POSTAL_RECALLED,
): PostalCodeRule {
  return { iso, patterns, formatHint, provenance };
}

/**
 * Postal-code formats of the EU countries of residence, keyed by ISO code. Applied to the trimmed
 * value; every alternative is anchored and case-insensitive.
 */
export const EU_POSTAL_CODE_RULES: Readonly<Record<string, PostalCodeRule>> = Object.freeze(
  Object.fromEntries(
    [
      postal('AT', [/^[1-9][0-9]{3}$/i], '1010'),
      postal('BE', [/^[1-9][0-9]{3}$/i], '1000'),
      postal('BG', [/^[1-9][0-9]{3}$/i], '1000'),
      postal('CY', [/^[1-9][0-9]{3}$/i], '1010'),
      postal('CZ', [/^[1-7][0-9]{2} ?[0-9]{2}$/i], '110 00'),
      postal('DE', [/^[0-9]{5}$/i], '10115', POSTAL_PUBLIC_CODE),
      postal('DK', [/^[0-9]{4}$/i, /^DK-[0-9]{4}$/i], '1050', POSTAL_PUBLIC_CODE),
      postal('EE', [/^[0-9]{5}$/i], '10111'),
      postal('ES', [/^(?:0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$/i], '28001'),
      postal('FI', [/^[0-9]{5}$/i], '00100', POSTAL_PUBLIC_CODE),
      postal('FR', [/^[0-9]{5}$/i], '75001', POSTAL_PUBLIC_CODE),
      postal('GR', [/^[1-8][0-9]{2} ?[0-9]{2}$/i], '105 57', POSTAL_PUBLIC_CODE),
      postal('HR', [/^[1-5][0-9]{4}$/i, /^HR-[1-5][0-9]{4}$/i], '10000'),
      postal('HU', [/^[1-9][0-9]{3}$/i], '1051'),
      postal(
        'IE',
        [/^[AC-FHKNPRTV-Y][0-9]{2} ?[0-9AC-FHKNPRTV-Y]{4}$/i, /^D6W ?[0-9AC-FHKNPRTV-Y]{4}$/i],
        'D02 X285',
      ),
      postal('IT', [/^[0-9]{5}$/i], '00184'),
      postal('LT', [/^[0-9]{5}$/i, /^LT-?[0-9]{5}$/i], 'LT-01100'),
      postal('LU', [/^[0-9]{4}$/i, /^L-?[0-9]{4}$/i], 'L-1111', POSTAL_PUBLIC_CODE),
      postal('LV', [/^[0-9]{4}$/i, /^LV-?[0-9]{4}$/i], 'LV-1050'),
      postal('MT', [/^[A-Z]{3} ?[0-9]{2,4}$/i], 'VLT 1117'),
      postal('NL', [/^[1-9][0-9]{3} ?[A-Z]{2}$/i], '1234 AB', POSTAL_PUBLIC_CODE),
      postal('PL', [/^[0-9]{2}-?[0-9]{3}$/i], '00-950'),
      postal('PT', [/^[1-9][0-9]{3}-?[0-9]{3}$/i, /^[1-9][0-9]{3}$/i], '1000-001'),
      postal('RO', [/^[0-9]{6}$/i], '010011'),
      postal('SE', [/^[1-9][0-9]{2} ?[0-9]{2}$/i], '114 55'),
      postal('SI', [/^[1-9][0-9]{3}$/i, /^SI-?[1-9][0-9]{3}$/i], '1000'),
      postal('SK', [/^[089][0-9]{2} ?[0-9]{2}$/i], '811 01', POSTAL_PUBLIC_CODE),
    ].map((rule) => [rule.iso, rule]),
  ),
);

/**
 * Postal codes of countries outside the EU: a letter or digit, then 1-11 letters, digits, spaces or
 * hyphens (covers e.g. `SW1A 1AA`, `12345-6789`, `K1A 0B1`, `100-0001`).
 */
export const GENERIC_POSTAL_CODE: PostalCodeRule = {
  iso: '*',
  patterns: [/^[A-Z0-9][A-Z0-9 -]{1,11}$/i],
  formatHint: 'letters and digits',
  provenance: { source: ['PROJECT'], verified: false, note: 'A permissive shape check, not a format.' },
};

/** The postal-code rule of a country of residence (ISO code), the generic one outside the EU. */
export function postalCodeRule(countryOfResidence: string): PostalCodeRule {
  return EU_POSTAL_CODE_RULES[countryOfResidence] ?? GENERIC_POSTAL_CODE;
}

/** True when the trimmed postal code matches the format of the country of residence. */
export function isValidPostalCode(postalCode: string, countryOfResidence: string): boolean {
  const value = postalCode.trim();
  return postalCodeRule(countryOfResidence).patterns.some((p) => p.test(value));
}
