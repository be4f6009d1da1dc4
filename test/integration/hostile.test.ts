import { FIELD_ORDER } from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { fetchAndSolve } from '../support/altcha';
import { postStatement } from '../support/api';
import { germanCitizen, polishCitizen } from '../support/citizens';
import { countStatements, localDynamo } from '../support/table';

const baseUrl = inject('baseUrl');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');

const FIELDS: readonly string[] = FIELD_ORDER;

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE statements;--",
    '\u0000\u0001\u0007\u001b[31m',
    '\u202eevil',
    '{{constructor.constructor("return process")()}}',
    ['$', '{jndi:ldap://x/a}'].join(''),
    'javascript:alert(1)',
    '../../../../etc/passwd',
    '\ud800',
    'x'.repeat(5000),
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** One change that makes any statement invalid: an unknown or dangerous key, a wrong type, or markup in a name. */
const poison: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'isAdmin', 'role', ''),
        fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !FIELDS.includes(k)),
      ),
      hostileValue,
    )
    .map(
      ([key, value]) =>
        JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`) as Record<string, unknown>,
    ),
  fc
    .tuple(
      fc.constantFrom(...FIELDS),
      fc.oneof(
        fc.integer(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.object({ maxDepth: 1 }),
      ),
    )
    .map(([key, value]) => ({ [key]: value })),
  fc
    .tuple(
      fc.constantFrom('firstNames', 'familyNames', 'street', 'city'),
      fc.constantFrom('<b>x</b>', 'a\u0000b', 'x\u0007', '<svg onload=1>', 'x'.repeat(101)),
    )
    .map(([key, value]) => ({ [key]: value })),
);

/** Mutations of a valid statement: random changes plus at least one poison, so none is valid. */
function hostileBody(altcha: string): fc.Arbitrary<Record<string, unknown>> {
  const base = fc.constantFrom(germanCitizen(), polishCitizen()).map((b) => ({ ...b, altcha }));
  return fc
    .tuple(base, fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 4 }), poison)
    .map(([b, changes, bad]) => {
      // JSON round trip keeps a "__proto__" key as an own property, as a request body would.
      const body = JSON.parse(JSON.stringify({ ...b, ...changes })) as Record<string, unknown>;
      for (const key of Object.keys(bad))
        Object.defineProperty(body, key, {
          value: bad[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return body;
    });
}

describe('hostile and malformed bodies', () => {
  it('answers 2,000+ generated hostile bodies with a 4xx, never a 5xx, and stores nothing', async () => {
    const altcha = await fetchAndSolve(baseUrl);
    const before = await countStatements(db, tableName);
    const structured = fc.sample(hostileBody(altcha), { numRuns: 1_500, seed: 20261128 });
    const raw = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 4 }),
        fc.constantFrom(
          '{"__proto__":{"polluted":true},"nationality":"DE"}',
          '{"constructor":{"prototype":{"x":1}}}',
          '{'.repeat(5000),
          '[]'.repeat(3000),
          '\u0000',
          '{"a":1,"a":2}',
        ),
      ),
      { numRuns: 600, seed: 7 },
    );
    const statuses: number[] = [];
    const batch = async (bodies: Array<() => Promise<{ status: number }>>) => {
      for (let i = 0; i < bodies.length; i += 25) {
        const results = await Promise.all(bodies.slice(i, i + 25).map((send) => send()));
        statuses.push(...results.map((r) => r.status));
      }
    };
    await batch(structured.map((body) => () => postStatement(baseUrl, body)));
    await batch(raw.map((text) => () => postStatement(baseUrl, undefined, { raw: text })));

    expect(statuses.length).toBeGreaterThanOrEqual(2_000);
    const serverErrors = statuses.filter((s) => s >= 500);
    expect(serverErrors).toEqual([]);
    expect(statuses.filter((s) => s < 400)).toEqual([]);
    expect(await countStatements(db, tableName)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
