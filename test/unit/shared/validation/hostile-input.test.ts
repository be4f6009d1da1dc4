import { FIELD_ERROR_CODES, MEMBER_STATES, validateStatement } from '@ocs/shared';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TODAY, VALID_STATEMENTS } from '../../../fixtures/rulebook/statements';

const CODES: ReadonlySet<string> = new Set(FIELD_ERROR_CODES);
const prototypeKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

function expectStableRefusal(input: unknown) {
  const result = validateStatement(input, { today: TODAY });
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      expect(CODES.has(error.code)).toBe(true);
      expect(typeof error.field).toBe('string');
      expect(error.field.length).toBeLessThanOrEqual(65);
      expect(typeof error.message).toBe('string');
    }
  }
  return result;
}

describe('validateStatement: hostile input', () => {
  afterAll(() => {
    // Nothing polluted the global prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws and refuses arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void expectStableRefusal(value)),
      { numRuns: 500 },
    );
  });

  it('never throws and refuses arbitrary values of any type', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withMap: true,
          withSet: true,
          withBigInt: true,
          withDate: true,
        }),
        (value) => void expectStableRefusal(value),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws for a valid statement with one field replaced by any JSON value', () => {
    const fields = [...new Set(Object.values(VALID_STATEMENTS).flatMap((s) => Object.keys(s)))];
    fc.assert(
      fc.property(
        fc.constantFrom(...MEMBER_STATES),
        fc.constantFrom(...fields, 'extra', '__proto__', 'constructor'),
        fc.jsonValue(),
        (code, field, value) => {
          const input = JSON.parse(JSON.stringify({ ...VALID_STATEMENTS[code], [field]: value })) as unknown;
          const result = validateStatement(input, { today: TODAY });
          if (!result.ok) for (const e of result.errors) expect(CODES.has(e.code)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the key %s as not_allowed and pollutes nothing',
    (key) => {
      const input = JSON.parse(`{"nationality":"DE","${key}":{"polluted":true,"isAdmin":true}}`) as unknown;
      const result = expectStableRefusal(input);
      if (!result.ok)
        expect(result.errors).toContainEqual(expect.objectContaining({ field: key, code: 'not_allowed' }));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('a valid statement with a __proto__ key is refused, the rest still counted', () => {
    const input = JSON.parse(
      JSON.stringify(VALID_STATEMENTS.PL).replace('{', '{"__proto__":{"nationality":"DE"},'),
    ) as unknown;
    const result = validateStatement(input, { today: TODAY });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: '__proto__', code: 'not_allowed', message: expect.any(String) }],
    });
  });

  it('refuses 100 KB strings in every text field with too_long, quickly', () => {
    const huge = 'a'.repeat(100_000);
    const started = Date.now();
    for (const field of ['firstNames', 'familyNames', 'street', 'streetNumber', 'postalCode', 'city']) {
      const result = validateStatement({ ...VALID_STATEMENTS.DE, [field]: huge }, { today: TODAY });
      expect(result).toMatchObject({ ok: false, errors: [{ field, code: 'too_long' }] });
    }
    for (const field of ['documentNumber']) {
      const result = validateStatement({ ...VALID_STATEMENTS.PL, [field]: huge }, { today: TODAY });
      expect(result).toMatchObject({ ok: false, errors: [{ field, code: 'too_long' }] });
    }
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses control characters and markup in every free-text field', () => {
    const bad = [
      '\u0000',
      '\u0007',
      '\u001B[31m',
      '\u007F',
      '<script>',
      '"><img src=x onerror=alert(1)>',
      '{{7*7}}',
      '\u0024{x}',
    ];
    for (const value of bad) {
      for (const field of ['firstNames', 'familyNames', 'street', 'streetNumber', 'city']) {
        const result = validateStatement({ ...VALID_STATEMENTS.FR, [field]: `Ab${value}` }, { today: TODAY });
        expect(result, `${field} ${JSON.stringify(value)}`).toMatchObject({
          ok: false,
          errors: [{ field, code: 'invalid_characters' }],
        });
      }
    }
  });

  it('never accepts a string with a control character, < or > in a name', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('\u0000', '\n', '\u001F', '<', '>', '\u0085'),
        fc.string(),
        (a, c, b) => {
          const result = validateStatement(
            { ...VALID_STATEMENTS.DE, familyNames: `X${a}${c}${b}X` },
            { today: TODAY },
          );
          expect(result.ok).toBe(false);
        },
      ),
    );
  });

  it('accepted names round-trip: the stored value validates to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        const first = validateStatement({ ...VALID_STATEMENTS.DE, firstNames: name }, { today: TODAY });
        if (first.ok) {
          const again = validateStatement(
            { ...VALID_STATEMENTS.DE, firstNames: first.value.firstNames },
            { today: TODAY },
          );
          expect(again).toEqual(first);
        }
      }),
    );
  });
});
