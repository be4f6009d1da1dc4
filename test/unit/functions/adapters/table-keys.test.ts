import { KEY_PREFIXES, keys } from '@ocs/functions/adapters/table-keys';
import { describe, expect, it } from 'vitest';

const families = Object.values(KEY_PREFIXES);
const belongs = (pk: string) =>
  families.some((prefix) => (prefix.endsWith('#') ? pk.startsWith(prefix) : pk === prefix));

describe('table keys', () => {
  it('starts every partition key with a declared family prefix (the IAM policies grant by family)', () => {
    const samples: Record<string, unknown> = {};
    for (const [name, build] of Object.entries(keys)) {
      const key = (build as (...args: unknown[]) => unknown)('x', 'DE');
      samples[name] = key;
      const pk = typeof key === 'string' ? key : (key as { pk: string }).pk;
      expect(belongs(pk), `${name}: ${pk}`).toBe(true);
    }
    expect(Object.keys(samples).length).toBeGreaterThanOrEqual(7);
  });

  it('gives every family a distinct prefix, none a prefix of another', () => {
    for (const a of families) {
      for (const b of families) if (a !== b) expect(b.startsWith(a), `${a} / ${b}`).toBe(false);
    }
  });
});
