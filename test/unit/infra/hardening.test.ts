import { posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs();
}, SYNTH_TIMEOUT);

type Transformation = { Priority: number; Type: string };
type ByteMatch = {
  FieldToMatch: Record<string, unknown>;
  PositionalConstraint: string;
  SearchString: string;
  TextTransformations: Transformation[];
};

/** What WAF does to a value for each transformation type the rules use (WAF developer guide). */
const TRANSFORM: Record<string, (value: string) => string> = {
  NONE: (v) => v,
  URL_DECODE: (v) =>
    v.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  NORMALIZE_PATH: (v) => posix.normalize(v),
  LOWERCASE: (v) => v.toLowerCase(),
};
const transformed = (value: string, transformations: Transformation[]) =>
  [...transformations]
    .sort((a, b) => a.Priority - b.Priority)
    .reduce((v, t) => {
      const apply = TRANSFORM[t.Type];
      if (!apply) throw new Error(`transformation ${t.Type} not simulated`);
      return apply(v);
    }, value);

/** Every byte-match statement on the URI path, anywhere in the web ACL's rules. */
function pathMatches(node: unknown, found: ByteMatch[] = []): ByteMatch[] {
  if (Array.isArray(node)) for (const item of node) pathMatches(item, found);
  else if (node && typeof node === 'object') {
    const match = (node as { ByteMatchStatement?: ByteMatch }).ByteMatchStatement;
    if (match?.FieldToMatch.UriPath !== undefined) found.push(match);
    for (const value of Object.values(node)) pathMatches(value, found);
  }
  return found;
}

describe('WAF path rules see decoded, normalised paths', () => {
  const acl = () => resourcesOf(synth.templates.edge, 'AWS::WAFv2::WebACL')[0]?.[1].Properties;

  it('has path rules for the API and the submit route', () => {
    expect(pathMatches(acl()).map((m) => m.SearchString)).toEqual(
      expect.arrayContaining(['/api/', '/api/statements']),
    );
  });

  it.each([
    '/api/%73tatements',
    '/%61pi/statements',
    '/api//statements',
    '/api/./statements',
    '/static/../api/statements',
    '/API/Statements',
    '/api%2Fstatements',
  ])('counts %s as the submit route, as API Gateway would route it', (hostile) => {
    const submit = pathMatches(acl()).filter((m) => m.SearchString === '/api/statements');
    expect(submit.length).toBeGreaterThan(0);
    for (const match of submit) {
      expect(match.PositionalConstraint).toBe('STARTS_WITH');
      expect(transformed(hostile, match.TextTransformations).startsWith(match.SearchString)).toBe(true);
    }
  });

  it('decodes before it normalises, so an encoded dot segment is resolved too', () => {
    for (const match of pathMatches(acl())) {
      const types = [...match.TextTransformations].sort((a, b) => a.Priority - b.Priority).map((t) => t.Type);
      expect(types.indexOf('URL_DECODE')).toBeGreaterThanOrEqual(0);
      expect(types.indexOf('URL_DECODE')).toBeLessThan(types.indexOf('NORMALIZE_PATH'));
      expect(transformed('/x/%2e%2e/api/', match.TextTransformations)).toBe('/api/');
    }
  });
});
