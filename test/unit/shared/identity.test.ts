import {
  IDENTITY_KEY_VERSION,
  identityKey,
  type PartAStatement,
  type PartBStatement,
  validateStatement,
} from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TODAY, VALID_STATEMENTS } from '../../fixtures/rulebook/statements';

const partA: PartAStatement = {
  nationality: 'DE',
  part: 'A',
  firstNames: 'Jürgen Max',
  familyNames: 'Müller-Lüdenscheidt',
  dateOfBirth: '1970-01-31',
  street: 'Hauptstr.',
  streetNumber: '5',
  postalCode: '10115',
  city: 'Berlin',
  countryOfResidence: 'DE',
  submissionId: '6f1c1e3a-2b4d-4c5e-8f70-123456789abc',
  altcha: 'x',
};

const partB: PartBStatement = {
  nationality: 'PL',
  part: 'B',
  firstNames: 'Jan',
  familyNames: 'Kowalski',
  documentType: 'personalNumber',
  documentNumber: '44051401359',
  formatConfirmed: false,
  submissionId: '6f1c1e3a-2b4d-4c5e-8f70-123456789abc',
  altcha: 'x',
};

describe('identityKey', () => {
  it('Part A: version, nationality, folded names, date of birth and postal code, joined by U+001F', () => {
    expect(identityKey(partA)).toBe(
      [IDENTITY_KEY_VERSION, 'DE', 'A', 'jurgenmax', 'mullerludenscheidt', '1970-01-31', '10115'].join(
        '\u001F',
      ),
    );
  });

  it('Part B: version, nationality, type and normalised number; names do not count', () => {
    expect(identityKey(partB)).toBe(
      [IDENTITY_KEY_VERSION, 'PL', 'B', 'personalNumber', '44051401359'].join('\u001F'),
    );
    expect(identityKey({ ...partB, firstNames: 'Janek', familyNames: 'Nowak' })).toBe(identityKey(partB));
    expect(identityKey({ ...partB, documentNumber: '440-514-013 59' })).toBe(identityKey(partB));
  });

  it('Part A: the same person whatever the case, whitespace and diacritics of names and postal code', () => {
    expect(
      identityKey({
        ...partA,
        firstNames: 'JURGEN  max',
        familyNames: 'Muller Ludenscheidt',
        postalCode: ' 10115',
      }),
    ).toBe(identityKey(partA));
    const nl = { ...partA, nationality: 'NL' as const, postalCode: '1234 AB' };
    expect(identityKey({ ...nl, postalCode: '1234ab' })).toBe(identityKey(nl));
  });

  it('Part A: what the address says besides the postal code does not count (contract)', () => {
    expect(identityKey({ ...partA, street: 'Andere Str.', city: 'Potsdam' })).toBe(identityKey(partA));
  });

  it('different people, nationalities, types or numbers give different keys', () => {
    const keys = [
      identityKey(partA),
      identityKey({ ...partA, dateOfBirth: '1970-01-30' }),
      identityKey({ ...partA, postalCode: '10117' }),
      identityKey({ ...partA, firstNames: 'Jürgen' }),
      identityKey({ ...partA, nationality: 'AT' as never }),
      identityKey(partB),
      identityKey({ ...partB, documentType: 'passport' }),
      identityKey({ ...partB, documentNumber: '44051401350' }),
      identityKey({ ...partB, nationality: 'LT' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('no two different Part A name splits collide by concatenation', () => {
    expect(identityKey({ ...partA, firstNames: 'Anna Maria', familyNames: 'Schmidt' })).not.toBe(
      identityKey({ ...partA, firstNames: 'Anna', familyNames: 'Maria Schmidt' }),
    );
  });

  it('is invariant under case, whitespace and diacritic changes of validated names (property)', () => {
    const word = fc
      .array(fc.constantFrom(...'abcdeilnorsuz'), { minLength: 1, maxLength: 10 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        word,
        word,
        fc.constantFrom('\u0301', '\u0308', '\u030C', ''),
        fc.boolean(),
        (first, family, mark, upper) => {
          const plain = validateStatement(
            { ...VALID_STATEMENTS.FR, firstNames: first, familyNames: family },
            { today: TODAY },
          );
          const dressed = validateStatement(
            {
              ...VALID_STATEMENTS.FR,
              firstNames: ` ${upper ? first.toUpperCase() : first}${mark} `,
              familyNames: `${family.charAt(0)}${mark} ${family.slice(1)}`,
            },
            { today: TODAY },
          );
          expect(plain.ok && dressed.ok).toBe(true);
          if (plain.ok && dressed.ok) expect(identityKey(dressed.value)).toBe(identityKey(plain.value));
        },
      ),
    );
  });

  it('different dates of birth or names give different keys (property)', () => {
    const word = fc
      .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), { minLength: 1, maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(word, word, word, word, (a, b, c, d) => {
        fc.pre(`${a}\u0000${b}` !== `${c}\u0000${d}`);
        expect(identityKey({ ...partA, firstNames: a, familyNames: b })).not.toBe(
          identityKey({ ...partA, firstNames: c, familyNames: d }),
        );
      }),
    );
  });

  it('the 10- and 12-digit spellings of a Swedish number are one person', () => {
    const ten = validateStatement(
      { ...VALID_STATEMENTS.SE, documentNumber: '880320-0016' },
      { today: TODAY },
    );
    const twelve = validateStatement(
      { ...VALID_STATEMENTS.SE, documentNumber: '198803200016' },
      { today: TODAY },
    );
    expect(ten.ok && twelve.ok).toBe(true);
    if (ten.ok && twelve.ok) expect(identityKey(ten.value)).toBe(identityKey(twelve.value));
  });
});
