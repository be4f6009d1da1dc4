import { mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalSorter, mergeRuns } from '@ocs/functions/export/external-sort';
import { compareEntries, decodeEntry, encodeEntry, SORT_KEY_BYTES } from '@ocs/functions/export/sort-entry';
import { MEMBER_STATES } from '@ocs/shared';
import { ExportFailedError, type SealedStatement } from '@ocs/shared/export';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidOf } from './support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocs-sort-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function statement(i: number, overrides: Partial<SealedStatement> = {}): SealedStatement {
  return {
    statementId: uuidOf((i * 2_654_435_761) % 2 ** 32),
    country: MEMBER_STATES[i % MEMBER_STATES.length] ?? 'DE',
    submittedAt: new Date(Date.parse('2026-11-02T00:00:00Z') + (i % 97) * 1000).toISOString(),
    annexRevision: 1 + (i % 3),
    mode: 'live',
    personalData: {
      dataKeyRef: `key-${i % 5}`,
      context: {},
      iv: new Uint8Array(12).fill(i % 256),
      ciphertext: new Uint8Array(40 + (i % 50)).fill(7),
    },
    ...overrides,
  };
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const entry of it) out.push(Buffer.from(entry)); // a view is valid until the next read
  return out;
}

describe('sort entries', () => {
  it('decode what they encode, with the sort key first', () => {
    const s = statement(42);
    const entry = encodeEntry(s);
    expect(decodeEntry(entry)).toEqual({
      country: s.country,
      submittedAt: s.submittedAt,
      statementId: s.statementId,
      annexRevision: s.annexRevision,
      dataKeyRef: s.personalData.dataKeyRef,
      iv: Buffer.from(s.personalData.iv),
      ciphertext: Buffer.from(s.personalData.ciphertext),
    });
    expect(entry.subarray(0, SORT_KEY_BYTES).toString('latin1')).toBe(
      `${s.country}${s.submittedAt}${s.statementId}`,
    );
  });

  it.each([
    ['an unknown country', { country: 'XX' as 'DE' }],
    ['a submission time in another form', { submittedAt: '2026-11-02T00:00:00Z' }],
    ['an upper-case identifier', { statementId: 'ABCDEF00-0000-4000-8000-00000000000A' }],
    ['a fractional annex revision', { annexRevision: 1.5 }],
    ['a negative annex revision', { annexRevision: -1 }],
  ])('refuse %s', (_, overrides) => {
    expect(() => encodeEntry(statement(1, overrides))).toThrow(ExportFailedError);
  });

  it('refuse an empty data key reference or IV', () => {
    const s = statement(1);
    expect(() => encodeEntry({ ...s, personalData: { ...s.personalData, dataKeyRef: '' } })).toThrow(
      ExportFailedError,
    );
    expect(() => encodeEntry({ ...s, personalData: { ...s.personalData, iv: new Uint8Array(0) } })).toThrow(
      ExportFailedError,
    );
  });
});

describe('ExternalSorter', () => {
  it('gives the same order as an in-memory sort, whatever the run size (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(10_000), { maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (ids, maxRunEntries) => {
          const unique = [...new Set(ids)];
          const sorter = new ExternalSorter({
            dir: mkdtempSync(join(dir, 'p-')),
            maxRunEntries,
            readBytes: 64,
          });
          for (const i of unique) await sorter.add(encodeEntry(statement(i)));
          const merged = await collect(mergeRuns(await sorter.finish()));
          const expected = unique.map((i) => encodeEntry(statement(i))).sort(compareEntries);
          expect(merged.map((e) => e.toString('hex'))).toEqual(expected.map((e) => e.toString('hex')));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps at most one run in memory and spills the others to private files', async () => {
    const sorter = new ExternalSorter({ dir, maxRunEntries: 10 });
    for (let i = 0; i < 95; i++) await sorter.add(encodeEntry(statement(i)));
    expect(sorter.spilledRuns).toBe(9);
    const runs = await sorter.finish();
    // The last spill's write may still be in flight until finish() waits for it.
    expect(readdirSync(dir)).toHaveLength(9);
    expect(runs).toHaveLength(10);
    expect(await collect(mergeRuns(runs))).toHaveLength(95);
  });

  it('serialises spills when several producers add at once', async () => {
    const sorter = new ExternalSorter({ dir, maxRunEntries: 7 });
    await Promise.all(
      [0, 1, 2, 3].map(async (p) => {
        for (let i = p; i < 200; i += 4) await sorter.add(encodeEntry(statement(i)));
      }),
    );
    const merged = await collect(mergeRuns(await sorter.finish()));
    expect(merged).toHaveLength(200);
    for (let i = 1; i < merged.length; i++)
      expect(compareEntries(merged[i - 1] as Buffer, merged[i] as Buffer)).toBeLessThan(0);
  });

  it('reports a truncated run file instead of ending early', async () => {
    const sorter = new ExternalSorter({ dir, maxRunEntries: 5 });
    for (let i = 0; i < 10; i++) await sorter.add(encodeEntry(statement(i)));
    const runs = await sorter.finish();
    const [file] = readdirSync(dir);
    truncateSync(join(dir, file ?? ''), 30);
    await expect(collect(mergeRuns(runs))).rejects.toThrow('truncated');
  });
});
