import { MEMBER_STATES, type MemberStateCode, validateStatement } from '@ocs/shared';
import { describe, expect, it } from 'vitest';
import {
  balticCode,
  beNumber,
  bgEgn,
  plPesel,
  roCnp,
  sePersonnummer12,
} from '../../../fixtures/rulebook/generators';
import { TODAY, VALID_STATEMENTS } from '../../../fixtures/rulebook/statements';

const validate = (input: unknown) => validateStatement(input, { today: TODAY });
const withFields = (code: MemberStateCode, fields: Record<string, unknown>) => ({
  ...VALID_STATEMENTS[code],
  ...fields,
});

describe('validateStatement: one valid statement per Member State', () => {
  it.each([...MEMBER_STATES])('%s: the example statement is accepted', (code) => {
    const result = validate(VALID_STATEMENTS[code]);
    expect(result).toMatchObject({ ok: true, value: { nationality: code } });
  });
});

/** A Belgian number written the way the card prints it: YY.MM.DD-XXX.CC. */
const dotted = (n: string) =>
  `${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)}-${n.slice(6, 9)}.${n.slice(9)}`;

/** Every accepted document type of every Part B state, with a real-shape number. */
const VALID_DOCUMENTS: readonly [MemberStateCode, string, string, string][] = [
  ['BE', 'personalNumber', '85073003328', '85073003328'],
  [
    'BE',
    'personalNumber',
    dotted(beNumber({ year: 2008, month: 3, day: 1 }, 5)),
    beNumber({ year: 2008, month: 3, day: 1 }, 5),
  ],
  [
    'BG',
    'personalNumber',
    bgEgn({ year: 2001, month: 1, day: 31 }, 7),
    bgEgn({ year: 2001, month: 1, day: 31 }, 7),
  ],
  ['CZ', 'idCard', '123456AB', '123456AB'],
  ['CZ', 'passport', '12345678', '12345678'],
  ['EE', 'personalNumber', '368 0528 0109', '36805280109'],
  ['ES', 'idCard', '54362315k', '54362315K'],
  ['ES', 'passport', 'PAA123456', 'PAA123456'],
  ['HR', 'personalNumber', '33392005961', '33392005961'],
  ['IT', 'passport', 'ya1234567', 'YA1234567'],
  ['IT', 'idCard', 'CA12345AB', 'CA12345AB'],
  ['IT', 'idCard', 'AB1234567', 'AB1234567'],
  ['CY', 'idCard', '1234567', '1234567'],
  ['CY', 'passport', 'K12345678', 'K12345678'],
  ['CY', 'passport', 'DP1234567', 'DP1234567'],
  ['LV', 'personalNumber', '16117519997', '16117519997'],
  ['LV', 'personalNumber', '32123456789', '32123456789'],
  ['LT', 'personalNumber', '33309240064', '33309240064'],
  ['HU', 'idCard', 'ABC123456', 'ABC123456'],
  ['HU', 'passport', 'AB1234567', 'AB1234567'],
  ['HU', 'personalNumber', '1 850730 1234', '18507301234'],
  ['MT', 'idCard', '0012345M', '0012345M'],
  ['AT', 'passport', 'p1234567', 'P1234567'],
  ['AT', 'idCard', '1234567', '1234567'],
  ['PL', 'personalNumber', '44051401359', '44051401359'],
  [
    'PL',
    'personalNumber',
    plPesel({ year: 2004, month: 2, day: 29 }, 1234),
    plPesel({ year: 2004, month: 2, day: 29 }, 1234),
  ],
  ['PT', 'idCard', '1234567', '1234567'],
  ['PT', 'passport', 'CB123456', 'CB123456'],
  ['PT', 'citizensCard', '00000000 0 ZZ4', '000000000ZZ4'],
  ['RO', 'idCard', 'RX123456', 'RX123456'],
  ['RO', 'passport', '051234567', '051234567'],
  ['RO', 'personalNumber', '1630615123457', '1630615123457'],
  ['SI', 'personalNumber', '0101006500006', '0101006500006'],
  ['SE', 'personalNumber', '880320-0016', '198803200016'],
  ['SE', 'personalNumber', '19880320 0016', '198803200016'],
];

describe('validateStatement: every accepted document of every Part B state', () => {
  it.each(VALID_DOCUMENTS)(
    '%s %s %s is accepted and stored as %s',
    (code, documentType, documentNumber, stored) => {
      const result = validate(withFields(code, { documentType, documentNumber }));
      expect(result).toMatchObject({
        ok: true,
        value: { part: 'B', documentType, documentNumber: stored, formatConfirmed: false },
      });
    },
  );
});

const born = (year: number, month: number, day: number) => ({ year, month, day });

/** Invalid examples: [country, description, changed fields, field, code]. */
const INVALID: readonly [MemberStateCode, string, Record<string, unknown>, string, string][] = [
  ['BE', 'wrong check digits', { documentNumber: '85.07.30-033.29' }, 'documentNumber', 'invalid_checksum'],
  [
    'BE',
    'born 2012: under 16',
    { documentNumber: beNumber(born(2012, 1, 1), 5) },
    'documentNumber',
    'too_young',
  ],
  ['BE', 'a passport', { documentType: 'passport' }, 'documentType', 'not_allowed'],
  [
    'BE',
    'an impossible date',
    { documentNumber: beNumber(born(1990, 2, 30), 5) },
    'documentNumber',
    'invalid_date',
  ],
  ['BG', 'wrong check digit', { documentNumber: '7523169264' }, 'documentNumber', 'invalid_checksum'],
  ['BG', 'born in 1875', { documentNumber: '7523169263' }, 'documentNumber', 'invalid_date'],
  ['BG', 'nine digits', { documentNumber: '752316926' }, 'documentNumber', 'invalid_format'],
  ['CZ', 'unusual ID-card number', { documentNumber: '12AB' }, 'documentNumber', 'format_unconfirmed'],
  ['CZ', 'a personal number', { documentType: 'personalNumber' }, 'documentType', 'not_allowed'],
  ['DK', 'a 3-digit postal code', { postalCode: '105' }, 'postalCode', 'format_unconfirmed'],
  ['DK', '30 February', { dateOfBirth: '1980-02-30' }, 'dateOfBirth', 'invalid_date'],
  ['DK', 'aged 17', { dateOfBirth: '2009-11-29' }, 'dateOfBirth', 'too_young'],
  ['DE', 'aged 15', { dateOfBirth: '2010-11-29' }, 'dateOfBirth', 'too_young'],
  ['DE', 'a document number', { documentNumber: 'T22000129' }, 'documentNumber', 'not_allowed'],
  [
    'DE',
    'living in Austria with a German postal code',
    { countryOfResidence: 'AT' },
    'postalCode',
    'format_unconfirmed',
  ],
  ['DE', 'no postal code', { postalCode: '' }, 'postalCode', 'required'],
  ['DE', 'no street', { street: '  ' }, 'street', 'required'],
  ['DE', 'no city', { city: undefined }, 'city', 'required'],
  ['EE', 'first digit 9', { documentNumber: '96805280109' }, 'documentNumber', 'invalid_format'],
  ['EE', 'wrong check digit', { documentNumber: '36805280108' }, 'documentNumber', 'invalid_checksum'],
  [
    'EE',
    'born 2011: under 16',
    { documentNumber: balticCode(born(2011, 1, 1), false, 1) },
    'documentNumber',
    'too_young',
  ],
  [
    'IE',
    'an unknown country of residence',
    { countryOfResidence: 'XX' },
    'countryOfResidence',
    'invalid_format',
  ],
  ['IE', 'a bad Eircode', { postalCode: 'Z99 9999' }, 'postalCode', 'format_unconfirmed'],
  ['EL', 'aged 16', { dateOfBirth: '2010-01-01' }, 'dateOfBirth', 'too_young'],
  ['EL', 'a Greek postal code of 4 digits', { postalCode: '1055' }, 'postalCode', 'format_unconfirmed'],
  ['ES', 'wrong DNI letter', { documentNumber: '54362315T' }, 'documentNumber', 'invalid_checksum'],
  [
    'ES',
    'wrong DNI letter, confirmed',
    { documentNumber: '54362315T', confirmDocumentFormat: true },
    'documentNumber',
    'invalid_checksum',
  ],
  ['ES', 'a NIE', { documentNumber: 'X1234567L' }, 'documentNumber', 'invalid_format'],
  ['ES', 'a 7-digit DNI', { documentNumber: '1234567L' }, 'documentNumber', 'format_unconfirmed'],
  [
    'ES',
    'a 7-digit DNI with a wrong letter, confirmed',
    { documentNumber: '1234567A', confirmDocumentFormat: true },
    'documentNumber',
    'invalid_checksum',
  ],
  [
    'ES',
    'a NIE, confirmed',
    { documentNumber: 'Y1234567X', confirmDocumentFormat: true },
    'documentNumber',
    'invalid_format',
  ],
  ['FR', 'markup in the street', { street: '<script>alert(1)</script>' }, 'street', 'invalid_characters'],
  ['FR', 'a Corsican-style code', { postalCode: '2A000' }, 'postalCode', 'format_unconfirmed'],
  ['FR', 'digits in the first names', { firstNames: 'Jean 2' }, 'firstNames', 'invalid_characters'],
  ['HR', 'a passport', { documentType: 'passport' }, 'documentType', 'not_allowed'],
  ['HR', 'wrong check digit', { documentNumber: '33392005962' }, 'documentNumber', 'invalid_checksum'],
  ['IT', 'unusual passport number', { documentNumber: 'XYZ' }, 'documentNumber', 'format_unconfirmed'],
  ['IT', 'a driving licence', { documentType: 'drivingLicence' }, 'documentType', 'not_allowed'],
  [
    'CY',
    'unusual passport number',
    { documentType: 'passport', documentNumber: 'Z1234567' },
    'documentNumber',
    'format_unconfirmed',
  ],
  ['LV', '31 February', { documentNumber: '310275-12345' }, 'documentNumber', 'invalid_date'],
  ['LV', 'ten digits', { documentNumber: '161175-1999' }, 'documentNumber', 'invalid_format'],
  ['LT', 'wrong check digit', { documentNumber: '33309240164' }, 'documentNumber', 'invalid_checksum'],
  ['LU', 'a 5-digit postal code', { postalCode: '11111' }, 'postalCode', 'format_unconfirmed'],
  [
    'HU',
    'personal number of 10 digits, confirmed',
    { documentType: 'personalNumber', documentNumber: '1234567890', confirmDocumentFormat: true },
    'documentNumber',
    'invalid_format',
  ],
  ['HU', 'no document type', { documentType: undefined }, 'documentType', 'required'],
  ['MT', 'a passport', { documentType: 'passport' }, 'documentType', 'not_allowed'],
  ['MT', 'markup in the number', { documentNumber: '<b>123</b>' }, 'documentNumber', 'invalid_characters'],
  ['NL', 'a code starting with 0', { postalCode: '0123 AB' }, 'postalCode', 'format_unconfirmed'],
  ['AT', 'unusual passport number', { documentNumber: '1234' }, 'documentNumber', 'format_unconfirmed'],
  ['AT', 'no document number', { documentNumber: '' }, 'documentNumber', 'required'],
  [
    'PL',
    'born 2010: aged 16',
    { documentNumber: plPesel(born(2010, 1, 1), 1) },
    'documentNumber',
    'too_young',
  ],
  ['PL', 'wrong check digit', { documentNumber: '44051401358' }, 'documentNumber', 'invalid_checksum'],
  [
    'PT',
    'wrong citizen-card check digit',
    { documentType: 'citizensCard', documentNumber: '000000000ZZ3' },
    'documentNumber',
    'invalid_checksum',
  ],
  [
    'PT',
    'citizen card without letters, confirmed',
    { documentType: 'citizensCard', documentNumber: '123456789012', confirmDocumentFormat: true },
    'documentNumber',
    'invalid_format',
  ],
  [
    'RO',
    'month 13 in the CNP',
    { documentNumber: roCnp(born(1963, 13, 1), false, 12, 345) },
    'documentNumber',
    'invalid_date',
  ],
  ['RO', 'county 99', { documentNumber: '1630615993457' }, 'documentNumber', 'invalid_format'],
  ['SI', 'wrong check digit', { documentNumber: '0101006500007' }, 'documentNumber', 'invalid_checksum'],
  ['SK', 'a code starting with 7', { postalCode: '711 01' }, 'postalCode', 'format_unconfirmed'],
  ['FI', 'aged 15', { dateOfBirth: '2011-01-01' }, 'dateOfBirth', 'too_young'],
  ['FI', 'a document type', { documentType: 'passport' }, 'documentType', 'not_allowed'],
  ['SE', 'born 1888 ("+")', { documentNumber: '880320+0016' }, 'documentNumber', 'invalid_date'],
  [
    'SE',
    'aged 17',
    { documentNumber: sePersonnummer12(born(2009, 11, 29), 123).slice(2) },
    'documentNumber',
    'too_young',
  ],
  ['SE', 'wrong check digit', { documentNumber: '880320-0018' }, 'documentNumber', 'invalid_checksum'],
];

describe('validateStatement: invalid examples, with the exact field and code', () => {
  it.each(INVALID)('%s: %s → %s %s', (code, _what, fields, field, errorCode) => {
    const result = validate(withFields(code, fields));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.field, e.code])).toEqual([[field, errorCode]]);
  });

  it('every Member State has at least one invalid example', () => {
    expect(new Set(INVALID.map(([code]) => code)).size).toBe(27);
  });
});

describe('validateStatement: confirming an unusual passport or ID-card number', () => {
  it.each([
    ['CZ', 'idCard', '12AB'],
    ['IT', 'passport', 'XYZ'],
    ['AT', 'passport', '1234'],
    ['CY', 'passport', 'Z1234567'],
    ['ES', 'idCard', 'AB123456'],
  ] as const)(
    '%s %s %s is accepted with confirmDocumentFormat: true',
    (code, documentType, documentNumber) => {
      const result = validate(
        withFields(code, { documentType, documentNumber, confirmDocumentFormat: true }),
      );
      expect(result).toMatchObject({ ok: true, value: { formatConfirmed: true, documentNumber } });
    },
  );

  it('a short Spanish DNI is padded to 8 digits before its letter check, and stored padded', () => {
    const result = validate(
      withFields('ES', { documentType: 'idCard', documentNumber: '1234567-l', confirmDocumentFormat: true }),
    );
    expect(result).toMatchObject({ ok: true, value: { formatConfirmed: true, documentNumber: '01234567L' } });
    expect(
      validate(withFields('ES', { documentNumber: '1234567A', confirmDocumentFormat: true })),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'documentNumber', code: 'invalid_checksum' }],
    });
  });

  it('a number of a known format is not marked as confirmed, even with the flag', () => {
    const result = validate(withFields('AT', { confirmDocumentFormat: true }));
    expect(result).toMatchObject({ ok: true, value: { formatConfirmed: false } });
  });
});

describe('validateStatement: birth dates from personal numbers', () => {
  it.each([
    ['BE', '85.07.30-033.28', '1985-07-30'],
    ['PL', '44051401359', '1944-05-14'],
    ['SE', '880320-0016', '1988-03-20'],
    ['LV', '161175-19997', '1975-11-16'],
  ] as const)('%s: the encoded date is returned', (code, documentNumber, birthDate) => {
    expect(validate(withFields(code, { documentNumber }))).toMatchObject({
      ok: true,
      value: { birthDateFromDocument: birthDate },
    });
  });

  it('no birth date where the number carries none (HR, LV from 2017, BE unknown date)', () => {
    for (const [code, documentNumber] of [
      ['HR', '33392005961'],
      ['LV', '32123456789'],
      ['BE', beNumber(born(1950, 0, 0), 12)],
    ] as const) {
      const result = validate(withFields(code, { documentNumber }));
      expect(result.ok, code).toBe(true);
      if (result.ok) expect('birthDateFromDocument' in result.value, code).toBe(false);
    }
  });

  it('the age from the number counts on the birthday itself', () => {
    const turning18Today = plPesel(born(2008, 11, 28), 1);
    const turning18Tomorrow = plPesel(born(2008, 11, 29), 1);
    expect(validate(withFields('PL', { documentNumber: turning18Today })).ok).toBe(true);
    expect(validate(withFields('PL', { documentNumber: turning18Tomorrow }))).toMatchObject({
      ok: false,
      errors: [{ field: 'documentNumber', code: 'too_young' }],
    });
  });

  it('a birth date in the future is invalid_date', () => {
    expect(validate(withFields('PL', { documentNumber: plPesel(born(2027, 1, 1), 1) }))).toMatchObject({
      ok: false,
      errors: [{ field: 'documentNumber', code: 'invalid_date' }],
    });
  });
});
