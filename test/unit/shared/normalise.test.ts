import { foldForIdentity, normaliseDocumentNumber, normaliseText } from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('normaliseText', () => {
  it.each([
    ['  Maria   Anna  ', 'Maria Anna'],
    ['Maria\u00A0Anna', 'Maria Anna'],
    ['Maria\u3000Anna', 'Maria Anna'],
    ['ﬁ', 'fi'],
    ['Ｍａｒｉａ', 'Maria'],
    ['e\u0301', 'é'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('is idempotent and leaves no leading, trailing or double spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = normaliseText(s);
        expect(normaliseText(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(/\s\s/u.test(once)).toBe(false);
      }),
    );
  });
});

describe('normaliseDocumentNumber', () => {
  it.each([
    ['85.07.30-033.28', '85073003328'],
    [' ab 12/34 ', 'AB1234'],
    ['12\u2013345\u2212678', '12345678'],
    ['１２３ａｂ', '123AB'],
    ['12\u00AD34\u200B56', '123456'],
    ['880320+0016', '880320+0016'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseDocumentNumber(input)).toBe(expected);
  });

  it('is idempotent, and ignores separators and case', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789abcdefXYZ'), { minLength: 1, maxLength: 15 }),
        fc.array(fc.constantFrom(' ', '.', '-', '/', '\u2013'), { maxLength: 15 }),
        (chars, seps) => {
          const plain = chars.join('');
          const spaced = chars.map((c, i) => `${c}${seps[i] ?? ''}`).join('');
          expect(normaliseDocumentNumber(spaced)).toBe(plain.toUpperCase());
          expect(normaliseDocumentNumber(plain.toLowerCase())).toBe(
            normaliseDocumentNumber(plain.toUpperCase()),
          );
          expect(normaliseDocumentNumber(normaliseDocumentNumber(spaced))).toBe(
            normaliseDocumentNumber(spaced),
          );
        },
      ),
    );
  });
});

describe('foldForIdentity', () => {
  it.each([
    ['Łukasz Żółć', 'lukaszzolc'],
    ['Søren Ærø', 'sorenaero'],
    ['Đorđe', 'dorde'],
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['Œuvre', 'oeuvre'],
    ['Ħal', 'hal'],
    ['Şişli', 'sisli'],
    ['Işık', 'isik'],
    ["O'Brien", 'obrien'],
    ['O’Brien', 'obrien'],
    ['Jean-Pierre', 'jeanpierre'],
    ['J. R. R.', 'jrr'],
    ['ΣΟΦΟΣ', 'σοφοσ'],
    ['σοφός', 'σοφοσ'],
    ['Þór Guðmundsson', 'þorguðmundsson'],
    ['1234 AB', '1234ab'],
  ])('%j → %j', (input, expected) => {
    expect(foldForIdentity(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(foldForIdentity(foldForIdentity(s))).toBe(foldForIdentity(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores case, whitespace and diacritics', () => {
    const letters = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), {
      minLength: 1,
      maxLength: 20,
    });
    const marks = ['\u0301', '\u0300', '\u0308', '\u030C', '\u0327', '\u0328', ''];
    fc.assert(
      fc.property(
        letters,
        fc.array(fc.constantFrom(...marks)),
        fc.array(fc.boolean()),
        fc.array(fc.constantFrom('', ' ', '  ', '\t')),
        (ls, ms, upper, spaces) => {
          const plain = ls.join('');
          const decorated = ls
            .map((l, i) => `${upper[i] ? l.toUpperCase() : l}${ms[i] ?? ''}${spaces[i] ?? ''}`)
            .join('')
            .normalize(upper[0] ? 'NFC' : 'NFD');
          expect(foldForIdentity(decorated)).toBe(plain);
        },
      ),
    );
  });

  it('never contains whitespace, control characters or combining marks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(/[\s\p{Cc}\p{M}]/u.test(foldForIdentity(s))).toBe(false);
      }),
    );
  });
});
