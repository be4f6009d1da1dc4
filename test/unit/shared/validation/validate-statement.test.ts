import {
  FIELD_ERROR_CODES,
  MAX_ECHOED_FIELD_NAME,
  MAX_UNKNOWN_FIELD_ERRORS,
  ROOT_FIELD,
  type ValidationResult,
  validateField,
  validateStatement,
} from '@ocs/shared';
import { describe, expect, it } from 'vitest';
import { TODAY, TRANSPORT, VALID_STATEMENTS } from '../../../fixtures/rulebook/statements';

const validate = (input: unknown, requireTransportFields = true) =>
  validateStatement(input, { today: TODAY, requireTransportFields });
const de = (fields: Record<string, unknown>) => ({ ...VALID_STATEMENTS.DE, ...fields });
const errorsOf = (result: ValidationResult) => (result.ok ? [] : result.errors.map((e) => [e.field, e.code]));

describe('validateStatement: nationality', () => {
  it.each([
    [undefined, 'required'],
    ['', 'required'],
    ['de', 'not_allowed'],
    ['GR', 'not_allowed'],
    ['UK', 'not_allowed'],
    [49, 'invalid_format'],
    [['DE'], 'invalid_format'],
  ])('%j → %s, and the common fields are still checked', (nationality, code) => {
    const result = validate({ ...VALID_STATEMENTS.DE, nationality, firstNames: '<b>', documentNumber: 'x' });
    expect(errorsOf(result)).toEqual([
      ['nationality', code],
      ['firstNames', 'invalid_characters'],
    ]);
  });

  it('without a nationality, unknown fields are still refused', () => {
    expect(errorsOf(validate({ firstNames: 'A', hack: 1 }, false))).toEqual([
      ['nationality', 'required'],
      ['familyNames', 'required'],
      ['certify', 'required'],
      ['privacyStatement', 'required'],
      ['hack', 'not_allowed'],
    ]);
  });
});

describe('validateStatement: names and address lines', () => {
  it.each([
    'Łukasz',
    'Nguyễn Thị Minh',
    'Ζωή',
    'Иван',
    "O'Brien",
    'O’Neil',
    'Anne-Marie',
    'Jr.',
    'Gal·la',
    '李小龍',
    'محمد',
  ])('accepts the name %s', (name) => {
    expect(validate(de({ firstNames: name, familyNames: name })).ok).toBe(true);
  });

  it.each([
    ['Jean\u0000', 'invalid_characters'],
    ['Jean\nPierre', 'invalid_characters'],
    ['Jean\tPierre', 'invalid_characters'],
    ['<img src=x>', 'invalid_characters'],
    ['Jean;', 'invalid_characters'],
    ['Jean "JP"', 'invalid_characters'],
    ['R2D2', 'invalid_characters'],
    ['\u202Eevil', 'invalid_characters'],
    ["'-.", 'invalid_format'],
    ['   ', 'required'],
    ['a'.repeat(101), 'too_long'],
    ['a'.repeat(100_000), 'too_long'],
    [42, 'invalid_format'],
    [null, 'invalid_format'],
    [{ toString: 'x' }, 'invalid_format'],
  ])('refuses the first names %j with %s', (firstNames, code) => {
    expect(errorsOf(validate(de({ firstNames })))).toEqual([['firstNames', code]]);
  });

  it('accepts 100 characters, counted in code points', () => {
    expect(validate(de({ familyNames: 'a'.repeat(100) })).ok).toBe(true);
    expect(validate(de({ familyNames: '𝒜'.repeat(50) })).ok).toBe(true);
  });

  it('normalises: trimmed, NFKC, one space between words', () => {
    const result = validate(
      de({ firstNames: '  Maria\u00A0\u00A0 Anna ', familyNames: 'ﬁscher', city: ' Berlin ' }),
    );
    expect(result).toMatchObject({
      ok: true,
      value: { firstNames: 'Maria Anna', familyNames: 'fischer', city: 'Berlin' },
    });
  });

  it.each([
    ["Rue de l'Église", '12b'],
    ['Hauptstr.', '5'],
    ['Ul. Długa', '5/7'],
    ['Via Roma', 'n° 5'],
    ['Calle Mayor, 3', '2º izq.'],
    ['Hinterhaus (Eingang B)', '#3'],
  ])('accepts the address %s %s', (street, streetNumber) => {
    expect(validate(de({ street, streetNumber })).ok).toBe(true);
  });

  it('accepts cities with parentheses, hyphens and digits', () => {
    for (const city of ['Frankfurt (Oder)', 'Saint-Étienne', 'Paris 15', "L'Aquila"]) {
      expect(validate(de({ city })).ok, city).toBe(true);
    }
  });

  it('the street number may be empty or absent', () => {
    expect(validate(de({ streetNumber: '' })).ok).toBe(true);
    expect(validate(de({ streetNumber: undefined })).ok).toBe(true);
  });

  it.each([
    ['street', 'Main <b>Street</b>', 'invalid_characters'],
    ['street', 'Main & Co', 'invalid_characters'],
    ['streetNumber', '5;', 'invalid_characters'],
    ['city', '12345', 'invalid_format'],
    ['city', 'x'.repeat(101), 'too_long'],
    ['postalCode', '10115<', 'invalid_characters'],
    ['postalCode', 7, 'invalid_format'],
  ])('refuses %s %j with %s', (field, value, code) => {
    expect(errorsOf(validate(de({ [field]: value })))).toEqual([[field, code]]);
  });
});

describe('validateStatement: date of birth', () => {
  it.each([
    ['1990-1-1', 'invalid_format'],
    ['01/01/1990', 'invalid_format'],
    ['1990-01-01T00:00:00Z', 'invalid_format'],
    ['１９９０-01-01', 'invalid_format'],
    ['2023-02-30', 'invalid_date'],
    ['1990-13-01', 'invalid_date'],
    ['2026-11-29', 'invalid_date'],
    ['1899-12-31', 'invalid_date'],
    ['2010-11-29', 'too_young'],
    ['', 'required'],
    [19900101, 'invalid_format'],
  ])('%j → %s', (dateOfBirth, code) => {
    expect(errorsOf(validate(de({ dateOfBirth })))).toEqual([['dateOfBirth', code]]);
  });

  it('the minimum age counts on the birthday itself', () => {
    expect(validate(de({ dateOfBirth: '2010-11-28' })).ok).toBe(true);
    expect(validate(de({ dateOfBirth: '1900-01-01' })).ok).toBe(true);
  });

  it('someone born on 29 February reaches the age on 1 March in other years', () => {
    const born = { ...VALID_STATEMENTS.FR, dateOfBirth: '2008-02-29' };
    expect(validateStatement(born, { today: '2026-02-28' }).ok).toBe(false);
    expect(validateStatement(born, { today: '2026-03-01' }).ok).toBe(true);
    // In a leap year, on 29 February itself.
    const leap = { ...VALID_STATEMENTS.FR, dateOfBirth: '2012-02-29' };
    expect(validateStatement(leap, { today: '2030-02-28' }).ok).toBe(false);
    expect(validateStatement({ ...leap, dateOfBirth: '2014-02-28' }, { today: '2032-02-28' }).ok).toBe(true);
    expect(
      validateStatement({ ...VALID_STATEMENTS.FR, dateOfBirth: '2012-02-29' }, { today: '2030-03-01' }).ok,
    ).toBe(true);
  });
});

describe('validateStatement: residence', () => {
  it('stores the country of residence in upper case, EL as GR', () => {
    expect(validate({ ...VALID_STATEMENTS.EL, countryOfResidence: 'el' })).toMatchObject({
      ok: true,
      value: { countryOfResidence: 'GR' },
    });
    expect(validate({ ...VALID_STATEMENTS.EL, countryOfResidence: 'GR' })).toMatchObject({
      ok: true,
      value: { countryOfResidence: 'GR' },
    });
  });

  it('checks the postal code against the country of residence, not the nationality', () => {
    expect(validate(de({ countryOfResidence: 'AT', postalCode: '1010', city: 'Wien' })).ok).toBe(true);
    expect(validate(de({ countryOfResidence: 'NL', postalCode: '1234AB' })).ok).toBe(true);
    expect(validate(de({ countryOfResidence: 'US', postalCode: '10001-1234' })).ok).toBe(true);
    expect(errorsOf(validate(de({ countryOfResidence: 'US', postalCode: '-' })))).toEqual([
      ['postalCode', 'invalid_format'],
    ]);
  });

  it.each([
    ['DE', 'D-10115', '10115'],
    ['DE', 'de - 10115', '10115'],
    ['LU', 'L-1140', '1140'],
    ['LU', 'l1140', '1140'],
    ['DK', 'DK-2100', '2100'],
    ['LV', 'LV-1050', '1050'],
    ['FI', 'FIN-00100', '00100'],
    ['AT', 'A-1010', '1010'],
    ['PL', 'PL-00-950', '00-950'],
    ['IE', 'IRL-D02 X285', 'D02 X285'],
    ['CH', 'CH-8001', '8001'],
  ])(
    '%s: the country prefix of %s is removed before the check and before storage',
    (country, typed, stored) => {
      expect(validate(de({ countryOfResidence: country, postalCode: typed }))).toMatchObject({
        ok: true,
        value: { postalCode: stored, postalCodeConfirmed: false },
      });
    },
  );

  it('a prefix of another country is not removed (the format check then decides)', () => {
    expect(errorsOf(validate(de({ countryOfResidence: 'FR', postalCode: 'D-10115' })))).toEqual([
      ['postalCode', 'format_unconfirmed'],
    ]);
    // Outside the EU only before a hyphen: Andorra's codes start with AD.
    expect(validate(de({ countryOfResidence: 'AD', postalCode: 'AD500' }))).toMatchObject({
      ok: true,
      value: { postalCode: 'AD500' },
    });
    // Malta's codes start with letters: a bare M before a letter is part of the code.
    expect(validate(de({ countryOfResidence: 'MT', postalCode: 'MST 1000' }))).toMatchObject({
      ok: true,
      value: { postalCode: 'MST 1000' },
    });
  });

  it('a postal code of an unusual format is format_unconfirmed, accepted with confirmPostalCode', () => {
    const unusual = de({ postalCode: '1011' });
    expect(errorsOf(validate(unusual))).toEqual([['postalCode', 'format_unconfirmed']]);
    expect(errorsOf(validate({ ...unusual, confirmPostalCode: false }))).toEqual([
      ['postalCode', 'format_unconfirmed'],
    ]);
    expect(validate({ ...unusual, confirmPostalCode: true })).toMatchObject({
      ok: true,
      value: { postalCode: '1011', postalCodeConfirmed: true },
    });
    // Outside the EU too, and with the prefix removed first.
    expect(
      validate(de({ countryOfResidence: 'US', postalCode: 'US-1', confirmPostalCode: true })),
    ).toMatchObject({
      ok: true,
      value: { postalCode: '1', postalCodeConfirmed: true },
    });
  });

  it('confirmPostalCode never overrides a missing code, a wrong character or a wrong type', () => {
    expect(errorsOf(validate(de({ postalCode: '', confirmPostalCode: true })))).toEqual([
      ['postalCode', 'required'],
    ]);
    expect(errorsOf(validate(de({ postalCode: 'D-', confirmPostalCode: true })))).toEqual([
      ['postalCode', 'required'],
    ]);
    expect(errorsOf(validate(de({ postalCode: '10115<', confirmPostalCode: true })))).toEqual([
      ['postalCode', 'invalid_characters'],
    ]);
    expect(errorsOf(validate(de({ confirmPostalCode: 'yes' })))).toEqual([
      ['confirmPostalCode', 'invalid_format'],
    ]);
  });

  it('a code of the usual format is not marked as confirmed, even with the flag', () => {
    expect(validate(de({ confirmPostalCode: true }))).toMatchObject({
      ok: true,
      value: { postalCode: '10115', postalCodeConfirmed: false },
    });
  });

  it('the postal code may be empty for Irish citizens and residents of Ireland only', () => {
    expect(validate({ ...VALID_STATEMENTS.IE, postalCode: '' }).ok).toBe(true);
    expect(validate({ ...VALID_STATEMENTS.IE, postalCode: '', countryOfResidence: 'FR' }).ok).toBe(true);
    expect(validate(de({ postalCode: '', countryOfResidence: 'IE' })).ok).toBe(true);
    expect(errorsOf(validate(de({ postalCode: ' ' })))).toEqual([['postalCode', 'required']]);
  });

  it('an invalid country of residence does not also fail the postal code', () => {
    expect(errorsOf(validate(de({ countryOfResidence: 'DEU' })))).toEqual([
      ['countryOfResidence', 'invalid_format'],
    ]);
    expect(errorsOf(validate(de({ countryOfResidence: '' })))).toEqual([['countryOfResidence', 'required']]);
    expect(errorsOf(validate(de({ countryOfResidence: 276 })))).toEqual([
      ['countryOfResidence', 'invalid_format'],
    ]);
  });

  it('fields of Part B are not allowed in Part A', () => {
    expect(errorsOf(validate(de({ documentType: 'passport', documentNumber: 'C01X00T47' })))).toEqual([
      ['documentType', 'not_allowed'],
      ['documentNumber', 'not_allowed'],
    ]);
  });
});

describe('validateStatement: documents', () => {
  const pl = (fields: Record<string, unknown>) => ({ ...VALID_STATEMENTS.PL, ...fields });

  it('fields of Part A are not allowed in Part B', () => {
    expect(errorsOf(validate(pl({ dateOfBirth: '1944-05-14', postalCode: '00-950' })))).toEqual([
      ['dateOfBirth', 'not_allowed'],
      ['postalCode', 'not_allowed'],
    ]);
  });

  it.each([
    [{ documentType: 42 }, 'documentType', 'invalid_format'],
    [{ documentType: '' }, 'documentType', 'required'],
    [{ documentNumber: 44051401359 }, 'documentNumber', 'invalid_format'],
    [{ documentNumber: '4'.repeat(41) }, 'documentNumber', 'too_long'],
    [{ documentNumber: '---' }, 'documentNumber', 'invalid_format'],
    [{ documentNumber: '4405140135é' }, 'documentNumber', 'invalid_characters'],
    [{ documentNumber: '44051401359+' }, 'documentNumber', 'invalid_characters'],
    [{ confirmDocumentFormat: 'yes' }, 'confirmDocumentFormat', 'invalid_format'],
  ])('%j → %s %s', (fields, field, code) => {
    expect(errorsOf(validate(pl(fields)))).toEqual([[field, code]]);
  });

  it('separators and case are ignored; full-width digits are normalised', () => {
    expect(validate(pl({ documentNumber: ' 440-514.013/59 ' }))).toMatchObject({
      ok: true,
      value: { documentNumber: '44051401359' },
    });
    expect(validate(pl({ documentNumber: '４４０５１４０１３５９' }))).toMatchObject({
      ok: true,
      value: { documentNumber: '44051401359' },
    });
  });

  it('a document number with an unknown type is only checked on its own', () => {
    expect(errorsOf(validate(pl({ documentType: 'passport', documentNumber: '1' })))).toEqual([
      ['documentType', 'not_allowed'],
    ]);
  });
});

describe('validateStatement: the altcha payload is the challenge check’s, never a field error', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['null', null],
    ['an object', {}],
  ])('%s: no field error, and the payload is empty (the challenge check answers 403)', (_name, altcha) => {
    expect(validate(de({ altcha }))).toMatchObject({ ok: true, value: { altcha: '' } });
  });

  it('a string is passed on trimmed, whatever it holds (the challenge check judges it)', () => {
    expect(validate(de({ altcha: ' abc\u0000 ' }))).toMatchObject({
      ok: true,
      value: { altcha: 'abc\u0000' },
    });
    expect(validate(de({ altcha: 'x'.repeat(5000) }))).toMatchObject({ ok: true });
  });

  it('other field errors are still all reported, without one for altcha', () => {
    expect(errorsOf(validate(de({ altcha: undefined, firstNames: '', postalCode: '' })))).toEqual([
      ['firstNames', 'required'],
      ['postalCode', 'required'],
    ]);
  });
});

describe('validateStatement: declarations, transport, language, e-mail', () => {
  it.each([
    [{ certify: false }, 'certify', 'required'],
    [{ certify: 'true' }, 'certify', 'invalid_format'],
    [{ certify: 1 }, 'certify', 'invalid_format'],
    [{ privacyStatement: undefined }, 'privacyStatement', 'required'],
    [{ submissionId: undefined }, 'submissionId', 'required'],
    [{ submissionId: 'not-a-uuid' }, 'submissionId', 'invalid_format'],
    [{ submissionId: '00000000-0000-0000-0000-000000000000' }, 'submissionId', 'invalid_format'],
    [{ language: 'xx' }, 'language', 'invalid_format'],
    [{ language: 'DE' }, 'language', 'invalid_format'],
    [{ language: 7 }, 'language', 'invalid_format'],
    [{ email: 'someone@example.org' }, 'emailConsent', 'required'],
    [{ email: 'someone@example.org', emailConsent: false }, 'emailConsent', 'required'],
    [{ emailConsent: true }, 'email', 'required'],
    [{ email: 'not an address', emailConsent: true }, 'email', 'invalid_format'],
    [{ email: 'a@localhost', emailConsent: true }, 'email', 'invalid_format'],
    [{ email: `${'a'.repeat(65)}@example.org`, emailConsent: true }, 'email', 'invalid_format'],
    [
      {
        email: `a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.org.org.org`,
        emailConsent: true,
      },
      'email',
      'too_long',
    ],
    [{ email: '<a@b.org>', emailConsent: true }, 'email', 'invalid_format'],
    [{ emailConsent: 'yes' }, 'emailConsent', 'invalid_format'],
  ])('%j → %s %s', (fields, field, code) => {
    expect(errorsOf(validate(de(fields)))).toEqual([[field, code]]);
  });

  it('the submission id is stored in lower case; the language and e-mail when given', () => {
    const result = validate(
      de({
        submissionId: TRANSPORT.submissionId.toUpperCase(),
        language: 'de',
        email: ' someone@example.org ',
        emailConsent: true,
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      value: { submissionId: TRANSPORT.submissionId, language: 'de', email: 'someone@example.org' },
    });
  });

  it('an empty e-mail without consent is no e-mail', () => {
    const result = validate(de({ email: '', emailConsent: false }));
    expect(result.ok).toBe(true);
    if (result.ok) expect('email' in result.value).toBe(false);
  });

  it('transport fields are optional with requireTransportFields: false', () => {
    const result = validate(de({ submissionId: undefined, altcha: undefined }), false);
    expect(result).toMatchObject({ ok: true, value: { submissionId: '', altcha: '' } });
    expect(errorsOf(validate(de({ submissionId: 'x' }), false))).toEqual([
      ['submissionId', 'invalid_format'],
    ]);
  });
});

describe('validateStatement: errors', () => {
  it('reports all field errors at once, in display order, unknown fields last', () => {
    const result = validate({
      zzz: 1,
      nationality: 'PL',
      firstNames: '',
      familyNames: '<x>',
      documentType: 'personalNumber',
      documentNumber: '44051401358',
      certify: false,
      privacyStatement: 'yes',
      ...TRANSPORT,
      dateOfBirth: '1944-05-14',
    });
    expect(errorsOf(result)).toEqual([
      ['firstNames', 'required'],
      ['familyNames', 'invalid_characters'],
      ['dateOfBirth', 'not_allowed'],
      ['documentNumber', 'invalid_checksum'],
      ['certify', 'required'],
      ['privacyStatement', 'invalid_format'],
      ['zzz', 'not_allowed'],
    ]);
  });

  it('uses only the contract codes and messages that never contain the submitted value', () => {
    const secret = 'Zyxwvutsrq';
    const result = validate({
      nationality: secret,
      firstNames: `${secret}<`,
      familyNames: secret.repeat(20),
      email: `${secret}@`,
      [secret]: secret,
      submissionId: secret,
      altcha: `${secret}\u0001`,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      for (const error of result.errors) {
        expect(FIELD_ERROR_CODES).toContain(error.code);
        expect(error.message).not.toContain(secret);
        expect(error.message.length).toBeGreaterThan(10);
      }
    }
  });

  it('caps the echoed name of an unknown field and the number of unknown-field errors', () => {
    const longKey = 'k'.repeat(10_000);
    const result = validate(de({ [longKey]: 1, 'bad\u0000key': 2 }));
    expect(errorsOf(result)).toEqual([
      [`${'k'.repeat(MAX_ECHOED_FIELD_NAME)}…`, 'not_allowed'],
      ['bad?key', 'not_allowed'],
    ]);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, i]));
    const manyResult = validate(de(many));
    expect(manyResult.ok).toBe(false);
    if (!manyResult.ok) expect(manyResult.errors).toHaveLength(MAX_UNKNOWN_FIELD_ERRORS);
  });

  it('refuses a non-object with one error on the root', () => {
    for (const input of [null, undefined, 1, 'x', true, [], [VALID_STATEMENTS.DE]]) {
      expect(errorsOf(validate(input))).toEqual([[ROOT_FIELD, 'invalid_format']]);
    }
  });

  it('ignores inherited properties', () => {
    const inherited = Object.create({ ...VALID_STATEMENTS.DE }) as object;
    expect(errorsOf(validate(inherited))).toContainEqual(['nationality', 'required']);
  });

  it('refuses an invalid signing day as a programming error', () => {
    expect(() => validateStatement(VALID_STATEMENTS.DE, { today: '2026-02-30' })).toThrow(RangeError);
    expect(() => validateStatement(VALID_STATEMENTS.DE, { today: 'today' })).toThrow(RangeError);
  });

  it('turns a throwing getter into a root error instead of throwing', () => {
    const input = { ...VALID_STATEMENTS.DE };
    Object.defineProperty(input, 'firstNames', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(errorsOf(validate(input))).toEqual([[ROOT_FIELD, 'invalid_format']]);
  });
});

describe('validateStatement: schema cache', () => {
  it('gives the same answers across many signing days (the cache is bounded and cleared)', () => {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 600; i++) {
      const today = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      const result = validateStatement({ ...VALID_STATEMENTS.FR, dateOfBirth: '2008-06-15' }, { today });
      expect(result.ok, today).toBe(today >= '2026-06-15');
    }
  });
});

describe('validateField', () => {
  it('returns the error of one field of a partial statement', () => {
    const partial = { nationality: 'PL', documentType: 'personalNumber', documentNumber: '44051401358' };
    expect(validateField('documentNumber', partial, { today: TODAY })).toMatchObject({
      code: 'invalid_checksum',
    });
    expect(validateField('firstNames', partial, { today: TODAY })).toMatchObject({ code: 'required' });
    expect(validateField('submissionId', partial, { today: TODAY })).toBeUndefined();
    expect(validateField('documentNumber', VALID_STATEMENTS.PL, { today: TODAY })).toBeUndefined();
  });
});
