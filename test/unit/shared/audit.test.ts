import { createHash } from 'node:crypto';
import {
  type AuditEntry,
  auditEntrySchema,
  canonicalJson,
  changeDetails,
  digest,
  GENESIS_HASH,
  hashEntry,
  isAuditAction,
  nextEntry,
  SYSTEM_ACTOR,
  sha256Hex,
  verifyChain,
} from '@ocs/shared/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChain, ORGANISER } from '../../support/audit-chain';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A copy of `entries` with entry `index` replaced by `change(entry)`. */
function tamper(entries: AuditEntry[], index: number, change: (e: AuditEntry) => unknown): unknown[] {
  return entries.map((e, i) => (i === index ? change(structuredClone(e)) : e));
}

describe('canonicalJson (RFC 8785)', () => {
  it('orders keys by UTF-16 code units (RFC 8785 section 3.2.3), nested objects too', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ z: { b: 1, a: [{ d: 1, c: 2 }] }, y: true })).toBe(
      '{"y":true,"z":{"a":[{"c":2,"d":1}],"b":1}}',
    );
  });

  it('serialises numbers, strings and literals as the RFC example does (section 3.2.2)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('writes -0 as 0 and big or tiny numbers in ECMAScript form', () => {
    expect(canonicalJson([-0, 1e21, 1e-7, 0.000001, 100])).toBe('[0,1e+21,1e-7,0.000001,100]');
  });

  it('refuses values without a canonical form', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
    expect(() => canonicalJson({ s: '\ud800' })).toThrow(/surrogate/i);
  });
});

describe('hashEntry', () => {
  const entry = {
    seq: 1,
    at: '2026-05-01T09:00:00.000Z',
    actor: { sub: 'org-1', email: 'ana@example.org' },
    action: 'sign_in',
    details: {},
    prevHash: GENESIS_HASH,
  } as const;

  it('is the SHA-256 of the hand-written canonical JSON of the entry (known vector)', async () => {
    const canonical = `{"action":"sign_in","actor":{"email":"ana@example.org","sub":"org-1"},"at":"2026-05-01T09:00:00.000Z","details":{},"prevHash":"${'0'.repeat(64)}","seq":1}`;
    const expected = nodeSha256(canonical);

    expect(await hashEntry(entry)).toBe(expected);
    expect(await hashEntry(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores a hash field already on the entry', async () => {
    expect(await hashEntry({ ...entry, hash: 'f'.repeat(64) })).toBe(await hashEntry(entry));
  });

  it('hashes non-ASCII text as UTF-8', async () => {
    const withUnicode = { ...entry, details: { note: 'Öffnung € 😀' } };
    const canonical = `{"action":"sign_in","actor":{"email":"ana@example.org","sub":"org-1"},"at":"2026-05-01T09:00:00.000Z","details":{"note":"Öffnung € 😀"},"prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(await hashEntry(withUnicode)).toBe(nodeSha256(canonical));
  });

  it('sha256Hex and digest agree with node:crypto', async () => {
    expect(await sha256Hex('')).toBe(nodeSha256(''));
    expect(await digest({ b: [1, 2], a: 'x' })).toBe(nodeSha256('{"a":"x","b":[1,2]}'));
  });
});

describe('nextEntry', () => {
  it('starts at seq 1 on the genesis hash and links each entry to the previous hash', async () => {
    const [first, second] = await buildChain(2);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first?.hash });
    expect(first?.hash).toBe(await hashEntry(first as AuditEntry));
  });

  it('normalises details through canonical JSON so the stored form re-verifies', async () => {
    const entry = await nextEntry(undefined, {
      at: '2026-05-01T09:00:00.000Z',
      actor: SYSTEM_ACTOR,
      action: 'destruction',
      details: { zero: -0, gone: undefined as unknown as null },
    });
    expect(entry.details).toEqual({ zero: 0 });
    expect(Object.is(entry.details.zero, 0)).toBe(true);
    expect((await verifyChain(JSON.parse(JSON.stringify([entry])))).valid).toBe(true);
  });

  it('refuses details that are not a JSON object', async () => {
    const input = { at: '2026-05-01T09:00:00.000Z', actor: ORGANISER, action: 'go_live' } as const;
    await expect(nextEntry(undefined, { ...input, details: [1] as never })).rejects.toThrow(TypeError);
    await expect(nextEntry(undefined, { ...input, details: { n: Number.NaN } })).rejects.toThrow();
  });
});

describe('verifyChain', () => {
  it('accepts a valid chain and returns its head', async () => {
    const entries = await buildChain();
    const result = await verifyChain(entries);
    expect(result).toEqual({ valid: true, count: entries.length, head: entries.at(-1)?.hash });
  });

  it('accepts the chain after a JSON round trip (what an export is)', async () => {
    const entries = await buildChain();
    expect((await verifyChain(JSON.parse(JSON.stringify({ entries })).entries)).valid).toBe(true);
  });

  it('accepts an empty trail, whose head is the genesis hash', async () => {
    expect(await verifyChain([])).toEqual({ valid: true, count: 0, head: GENESIS_HASH });
  });

  it.each([
    ['details', (e: AuditEntry) => ({ ...e, details: { ...e.details, extra: 1 } })],
    ['actor', (e: AuditEntry) => ({ ...e, actor: { sub: e.actor.sub, email: 'mallory@example.org' } })],
    ['at', (e: AuditEntry) => ({ ...e, at: '2026-05-01T10:00:00.000Z' })],
    ['action', (e: AuditEntry) => ({ ...e, action: 'collection_paused' })],
    ['an added field', (e: AuditEntry) => ({ ...e, note: 'added later' })],
  ])('fails at the entry whose %s was changed', async (_what, change) => {
    const entries = await buildChain();
    const result = await verifyChain(tamper(entries, 2, change));
    expect(result).toMatchObject({ valid: false, brokenAt: 3, index: 2, code: 'hash_mismatch' });
  });

  it('fails where an entry was deleted', async () => {
    const entries = await buildChain();
    const result = await verifyChain(entries.filter((e) => e.seq !== 3));
    expect(result).toMatchObject({ valid: false, brokenAt: 4, index: 2, code: 'seq_mismatch' });
    if (!result.valid) expect(result.reason).toMatch(/expected seq 3, found 4/);
  });

  it('fails where entries were reordered', async () => {
    const entries = await buildChain();
    const reordered = [entries[0], entries[2], entries[1], ...entries.slice(3)];
    expect(await verifyChain(reordered)).toMatchObject({ valid: false, brokenAt: 3, code: 'seq_mismatch' });
  });

  it('fails where entries were reordered and renumbered', async () => {
    const entries = await buildChain();
    const swapped = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }, ...entries.slice(3)];
    expect(await verifyChain(swapped)).toMatchObject({
      valid: false,
      brokenAt: 2,
      code: 'prev_hash_mismatch',
    });
  });

  it('fails where a prevHash was changed', async () => {
    const entries = await buildChain();
    const result = await verifyChain(tamper(entries, 3, (e) => ({ ...e, prevHash: 'b'.repeat(64) })));
    expect(result).toMatchObject({ valid: false, brokenAt: 4, code: 'prev_hash_mismatch' });
  });

  it('fails at the NEXT entry when a changed entry was re-hashed', async () => {
    const entries = await buildChain();
    const forged = tamper(entries, 2, (e) => ({ ...e, details: { forged: true } }));
    const forgedEntry = forged[2] as AuditEntry;
    forged[2] = { ...forgedEntry, hash: await hashEntry(forgedEntry) };

    const result = await verifyChain(forged);

    expect(result).toMatchObject({ valid: false, brokenAt: 4, index: 3, code: 'prev_hash_mismatch' });
  });

  it('shows a re-hashed change of the LAST entry only as a different head (why heads are anchored)', async () => {
    const entries = await buildChain();
    const anchoredHead = entries.at(-1)?.hash;
    const last = entries.length - 1;
    const forged = tamper(entries, last, (e) => ({ ...e, details: { forged: true } }));
    forged[last] = { ...(forged[last] as AuditEntry), hash: await hashEntry(forged[last] as AuditEntry) };

    const result = await verifyChain(forged);

    expect(result.valid).toBe(true);
    expect(result.valid && result.head).not.toBe(anchoredHead);
  });

  it('fails when the first entry does not start on the genesis hash', async () => {
    const entries = await buildChain();
    const first = { ...(entries[0] as AuditEntry), prevHash: 'c'.repeat(64) };
    const rehashed = { ...first, hash: await hashEntry(first) };
    expect(await verifyChain([rehashed, ...entries.slice(1)])).toMatchObject({
      valid: false,
      brokenAt: 1,
      code: 'prev_hash_mismatch',
    });
  });

  it('verifies a later segment only against the hash it continues', async () => {
    const entries = await buildChain();
    const segment = entries.slice(2);
    const anchor = entries[1]?.hash as string;

    expect(await verifyChain(segment, { expectedFirstPrevHash: anchor })).toMatchObject({ valid: true });
    expect(await verifyChain(segment, { expectedFirstPrevHash: anchor, expectedFirstSeq: 3 })).toMatchObject({
      valid: true,
      count: segment.length,
    });
    expect(await verifyChain(segment, { expectedFirstPrevHash: anchor, expectedFirstSeq: 4 })).toMatchObject({
      valid: false,
      code: 'seq_mismatch',
    });
    expect(await verifyChain(segment)).toMatchObject({ valid: false, brokenAt: 3, code: 'seq_mismatch' });
    expect(await verifyChain(segment, { expectedFirstPrevHash: 'd'.repeat(64) })).toMatchObject({
      valid: false,
      code: 'prev_hash_mismatch',
    });
  });

  it.each([
    ['null', null],
    ['a string', 'entry'],
    ['an entry without hash', { seq: 1, at: '2026-05-01T09:00:00Z', actor: ORGANISER, action: 'x' }],
  ])('reports %s as malformed', async (_what, raw) => {
    const result = await verifyChain([raw]);
    expect(result).toMatchObject({ valid: false, brokenAt: 1, index: 0, code: 'malformed' });
  });

  it('names the bad fields of a malformed entry and keeps its seq', async () => {
    const entries = await buildChain(3);
    const result = await verifyChain(tamper(entries, 1, (e) => ({ ...e, hash: 'NOT-HEX', at: 'yesterday' })));
    expect(result).toMatchObject({ valid: false, brokenAt: 2, code: 'malformed' });
    if (!result.valid) expect(result.reason).toMatch(/at.*hash|hash.*at/);
  });

  it('verifies every generated chain and rejects any single changed details', async () => {
    const details = fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      ),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(details, { minLength: 1, maxLength: 6 }), fc.nat(), async (all, pick) => {
        const entries: AuditEntry[] = [];
        for (const [i, d] of all.entries()) {
          entries.push(
            await nextEntry(entries.at(-1), {
              at: `2026-05-01T09:00:0${i}.000Z`,
              actor: ORGANISER,
              action: 'initiative_updated',
              details: d,
            }),
          );
        }
        expect((await verifyChain(JSON.parse(JSON.stringify(entries)))).valid).toBe(true);
        const index = pick % entries.length;
        const changed = tamper(entries, index, (e) => ({
          ...e,
          details: { ...e.details, '\u0000tampered': 1 },
        }));
        expect(await verifyChain(changed)).toMatchObject({ valid: false, brokenAt: index + 1 });
      }),
      { numRuns: 60 },
    );
  });
});

describe('auditEntrySchema', () => {
  it('accepts actions this version does not know (forward compatible), and the system actor', async () => {
    const entry = await nextEntry(undefined, {
      at: '2026-05-01T09:00:00.000Z',
      actor: SYSTEM_ACTOR,
      action: 'destruction',
      details: {},
    });
    expect(auditEntrySchema.safeParse({ ...entry, action: 'future_action' }).success).toBe(true);
    expect(isAuditAction('future_action')).toBe(false);
    expect(isAuditAction('withdrawal')).toBe(true);
  });
});

describe('changeDetails', () => {
  const before = {
    id: 'eci-2026-000001',
    collection: { start: '2026-05-01', end: '2027-05-01' },
    content: { en: { title: 'Old title' } },
    languages: ['en'],
  };
  const after = {
    id: 'eci-2026-000001',
    collection: { start: '2026-05-01', end: '2027-04-30' },
    content: { en: { title: 'New title' }, fr: { title: 'Titre' } },
    languages: ['en', 'fr'],
  };

  it('names the changed leaves by dotted path, sorted, and nothing unchanged', async () => {
    const result = await changeDetails(before, after);
    expect(result.changedFields).toEqual([
      'collection.end',
      'content.en.title',
      'content.fr.title',
      'languages',
    ]);
  });

  it('carries a digest of the old and new values of those paths, never the values', async () => {
    const result = await changeDetails(before, after);
    const expected = nodeSha256(
      canonicalJson({
        before: { 'collection.end': '2027-05-01', 'content.en.title': 'Old title', languages: ['en'] },
        after: {
          'collection.end': '2027-04-30',
          'content.en.title': 'New title',
          'content.fr.title': 'Titre',
          languages: ['en', 'fr'],
        },
      }),
    );
    expect(result.digest).toBe(expected);
    expect(JSON.stringify(result)).not.toMatch(/New title|Titre|2027-04-30/);
  });

  it('lists every field of a first value, and none when nothing changed', async () => {
    expect((await changeDetails(undefined, { a: 1, b: { c: 2 } })).changedFields).toEqual(['a', 'b.c']);
    expect((await changeDetails(after, structuredClone(after))).changedFields).toEqual([]);
  });
});
