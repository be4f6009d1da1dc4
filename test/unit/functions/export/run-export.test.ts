import { createHash } from 'node:crypto';
import { ANNEX_REVISION, MEMBER_STATE_RULES, MEMBER_STATES, type MemberStateCode } from '@ocs/shared';
import { ExportFailedError, type SealedStatement } from '@ocs/shared/export';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON, VALID_STATEMENTS } from '../../../fixtures/rulebook/statements';
import { parseSupportForm } from '../../../support/export-xml';
import { FakeInitiativeStore } from '../../../support/fakes';
import {
  ArraySource,
  CONTEXT,
  exporter,
  Keys,
  MemorySink,
  type PlainStatement,
  sealAll,
  takeProducedXml,
  uuidOf,
  xmlCountries,
  xsdErrors,
} from './support';

const instant = (n: number) => new Date(Date.parse('2026-11-02T08:00:00Z') + n * 61_000).toISOString();

/** One statement per Member State, with distinct names. */
function everyMemberState(): PlainStatement[] {
  return MEMBER_STATES.map((code, i) => ({
    body: { ...VALID_STATEMENTS[code], familyNames: `Family${code}`, firstNames: `First ${code}` },
    statementId: uuidOf(1000 + i),
    submittedAt: instant(i),
  }));
}

/** A number written in letters (names may not contain digits). */
const alpha = (n: number): string =>
  (n < 26 ? '' : alpha(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));

/** `n` German and Polish statements with distinct names (German ones have varied addresses). */
function many(n: number): PlainStatement[] {
  return Array.from({ length: n }, (_, i) => {
    const code: MemberStateCode = i % 3 === 0 ? 'PL' : 'DE';
    return {
      body: {
        ...VALID_STATEMENTS[code],
        firstNames: `Name ${alpha(i)}`,
        familyNames: `Family ${alpha(i % 17)}`,
      },
      statementId: uuidOf((i * 7919) % 1_000_003),
      // Several statements share an instant, so the identifier decides their order.
      submittedAt: instant(Math.floor(i / 4)),
    };
  });
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Every XML file any test here produced, failing exports included, is valid against the XSD.
afterEach(async () => {
  const files = takeProducedXml();
  if (files.length > 0) expect(await xsdErrors(files)).toEqual([]);
});

describe('RunExport', () => {
  it('writes one valid file per Member State with exactly its statement, and a manifest that matches', async () => {
    const keys = new Keys();
    const plain = everyMemberState();
    const sealed = await sealAll(plain, keys.sealer());
    const sink = new MemorySink();
    const result = await exporter(keys, new ArraySource(sealed), sink).execute({
      exportId: 'exp-1',
      countries: 'all',
    });

    const names = sink.names('exp-1');
    expect(names).toEqual([...[...MEMBER_STATES].sort().map((c) => `${c}.xml`), 'manifest.json'].sort());
    expect(
      await xsdErrors(
        names.filter((n) => n.endsWith('.xml')).map((n) => ({ name: n, xml: sink.file('exp-1', n) })),
      ),
    ).toEqual([]);

    for (const [i, code] of MEMBER_STATES.entries()) {
      const form = parseSupportForm(sink.file('exp-1', `${code}.xml`));
      expect(form.forCountry).toBe(code === 'EL' ? 'gr' : code.toLowerCase());
      expect(form.signatures).toHaveLength(1);
      const [signature] = form.signatures;
      expect(signature?.signatureIdentifier).toBe(uuidOf(1000 + i));
      expect(signature?.annexRevision).toBe(String(ANNEX_REVISION));
      const general = signature?.groups.find((g) => g.name === 'oct.group.general')?.properties;
      expect(general?.['oct.property.full.first.names']).toBe(`First ${code}`);
      expect(general?.['oct.property.family.names']).toBe(`Family${code}`);
      expect(signature?.groups.map((g) => g.name)).toEqual(
        MEMBER_STATE_RULES[code].part === 'A'
          ? ['oct.group.general', 'oct.group.address']
          : ['oct.group.general', 'oct.group.id'],
      );
    }

    const manifest = JSON.parse(sink.file('exp-1', 'manifest.json').toString('utf8'));
    expect(manifest).toEqual(result.manifest);
    expect(manifest).toMatchObject({
      exportId: 'exp-1',
      initiative: 'ECI(2026)000042',
      createdAt: '2026-12-01T09:00:00.000Z',
    });
    for (const line of result.files) {
      const bytes = sink.file('exp-1', `${line.country}.xml`);
      expect(line).toEqual({
        country: line.country,
        statements: 1,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
    expect(result.manifestSha256).toBe(
      createHash('sha256').update(sink.file('exp-1', 'manifest.json')).digest('hex'),
    );
    expect(sink.contentTypes.get('exp-1/DE.xml')).toBe('application/xml');
    expect(sink.contentTypes.get('exp-1/manifest.json')).toBe('application/json');
  });

  it('writes byte-identical country files whatever the source order, segments, pages and run size', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(600), keys.sealer(100));
    const runs = [
      { order: sealed, segments: 1, pageSize: 1000, maxRunEntries: 50_000 },
      { order: shuffled(sealed, 7), segments: 3, pageSize: 7, maxRunEntries: 64 },
      { order: shuffled(sealed, 99), segments: 8, pageSize: 1, maxRunEntries: 5 },
    ];
    const outputs: Array<{ files: Map<string, Buffer>; manifest: Record<string, unknown>; spilled: number }> =
      [];
    for (const [i, run] of runs.entries()) {
      const sink = new MemorySink();
      const result = await exporter(keys, new ArraySource(run.order, run.pageSize), sink, {
        settings: { segments: run.segments, maxRunEntries: run.maxRunEntries, chunkChars: 1000 },
      }).execute({ exportId: `exp-${i}`, countries: 'all' });
      const files = new Map(
        sink
          .names(`exp-${i}`)
          .filter((n) => n.endsWith('.xml'))
          .map((n) => [n, sink.file(`exp-${i}`, n)]),
      );
      const { exportId, createdAt, ...manifest } = result.manifest;
      outputs.push({ files, manifest, spilled: result.stats.spilledRuns });
    }
    expect(outputs.map((o) => o.spilled)).toEqual([0, 9, 119]);
    const [first, ...others] = outputs;
    expect([...(first?.files.keys() ?? [])]).toEqual(['DE.xml', 'PL.xml']);
    for (const other of others) {
      expect(other.manifest).toEqual(first?.manifest);
      for (const [name, bytes] of first?.files ?? []) expect(other.files.get(name)?.equals(bytes)).toBe(true);
    }
  });

  it('orders each file by submission time, then by identifier', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(90), keys.sealer());
    const sink = new MemorySink();
    await exporter(keys, new ArraySource(shuffled(sealed, 3)), sink).execute({
      exportId: 'e',
      countries: 'all',
    });
    for (const code of ['DE', 'PL'] as const) {
      const expected = sealed
        .filter((s) => s.country === code)
        .sort((a, b) =>
          a.submittedAt === b.submittedAt
            ? a.statementId < b.statementId
              ? -1
              : 1
            : a.submittedAt < b.submittedAt
              ? -1
              : 1,
        )
        .map((s) => s.statementId);
      expect(
        parseSupportForm(sink.file('e', `${code}.xml`)).signatures.map((s) => s.signatureIdentifier),
      ).toEqual(expected);
    }
  });

  it('never exports test-mode statements', async () => {
    const keys = new Keys();
    const plain = everyMemberState().map((s, i) => ({
      ...s,
      mode: i % 2 === 0 ? ('test' as const) : ('live' as const),
    }));
    const sealed = await sealAll(plain, keys.sealer());
    const sink = new MemorySink();
    const result = await exporter(keys, new ArraySource(sealed), sink).execute({
      exportId: 'e',
      countries: 'all',
    });
    const live = plain.filter((s) => s.mode === 'live');
    expect(result.stats).toMatchObject({ exported: live.length, skippedTest: plain.length - live.length });
    const exportedIds = xmlCountries(sink.names('e')).flatMap((c) =>
      parseSupportForm(sink.file('e', `${c}.xml`)).signatures.map((s) => s.signatureIdentifier),
    );
    expect(exportedIds.sort()).toEqual(live.map((s) => s.statementId).sort());
  });

  it('exports only the requested countries, with an empty file for a requested country without statements', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(30), keys.sealer());
    const sink = new MemorySink();
    const result = await exporter(keys, new ArraySource(sealed), sink).execute({
      exportId: 'e',
      countries: ['PL', 'MT', 'AT'],
    });
    expect(sink.names('e')).toEqual(['AT.xml', 'MT.xml', 'PL.xml', 'manifest.json']);
    expect(result.files.map((f) => [f.country, f.statements])).toEqual([
      ['AT', 0],
      ['MT', 0],
      ['PL', 10],
    ]);
    expect(parseSupportForm(sink.file('e', 'MT.xml')).signatures).toEqual([]);
    expect(
      await xsdErrors(['AT.xml', 'MT.xml', 'PL.xml'].map((n) => ({ name: n, xml: sink.file('e', n) }))),
    ).toEqual([]);
  });

  it('decrypts each data key once per export, with the statements’ context, whatever the number of statements', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(250), keys.sealer(50));
    expect(keys.provider.generateCalls).toBe(5);
    const result = await exporter(keys, new ArraySource(shuffled(sealed, 5), 4), new MemorySink(), {
      settings: { segments: 4, maxRunEntries: 40 },
    }).execute({ exportId: 'e', countries: 'all' });
    expect(keys.provider.decryptCalls).toBe(5);
    expect(result.stats).toMatchObject({ dataKeys: 5, keyDecryptCalls: 5, exported: 250 });
    // A second export unwraps them again: the keys live as long as one export.
    await exporter(keys, new ArraySource(sealed), new MemorySink()).execute({
      exportId: 'f',
      countries: 'all',
    });
    expect(keys.provider.decryptCalls).toBe(10);
  });

  it('reports progress while reading and writing, then done', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(45), keys.sealer());
    const seen: string[] = [];
    await exporter(keys, new ArraySource(sealed), new MemorySink(), {
      settings: { progressEvery: 20 },
    }).execute({ exportId: 'e', countries: 'all' }, (p) => {
      seen.push(`${p.phase}:${p.read}:${p.written}`);
    });
    expect(seen.at(-1)).toBe('done:45:45');
    expect(seen).toContain('writing:45:20');
    expect(seen).toContain('writing:45:40');
    expect(seen.filter((s) => s.startsWith('reading')).at(-1)).toBe('reading:45:0');
  });

  it('streams: chunks of bounded size reach the sink, and the sort spills to disk', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(900), keys.sealer());
    const chunkSizes: number[] = [];
    const sink = new MemorySink();
    const create = sink.create.bind(sink);
    sink.create = async (id, name, type) => {
      const writer = await create(id, name, type);
      return {
        ...writer,
        write: (chunk) => {
          chunkSizes.push(chunk.length);
          return writer.write(chunk);
        },
      };
    };
    const result = await exporter(keys, new ArraySource(sealed, 10), sink, {
      settings: { chunkChars: 4096, maxRunEntries: 100 },
    }).execute({ exportId: 'e', countries: 'all' });
    expect(result.stats.spilledRuns).toBeGreaterThanOrEqual(8);
    expect(chunkSizes.length).toBeGreaterThan(100);
    // A chunk closes at the first statement past 4,096 characters (UTF-8: at most 3 bytes each).
    expect(Math.max(...chunkSizes)).toBeLessThan((4096 + 2000) * 3);
  });

  it('uses `el` for Greece when configured, in forCountry and in a Greek residence', async () => {
    const keys = new Keys();
    const sealed = await sealAll(everyMemberState(), keys.sealer());
    const sink = new MemorySink();
    await exporter(keys, new ArraySource(sealed), sink, { settings: { greece: 'el' } }).execute({
      exportId: 'e',
      countries: ['EL'],
    });
    const form = parseSupportForm(sink.file('e', 'EL.xml'));
    expect(form.forCountry).toBe('el');
    expect(form.signatures[0]?.groups[1]?.properties['oct.property.country']).toBe('el');
  });
});

describe('RunExport failures', () => {
  async function failing(mutate: (sealed: SealedStatement[]) => SealedStatement[], keys = new Keys()) {
    const plain = everyMemberState();
    const sealed = mutate(await sealAll(plain, keys.sealer(10)));
    const sink = new MemorySink();
    const error = await exporter(keys, new ArraySource(sealed), sink, { settings: { maxRunEntries: 4 } })
      .execute({ exportId: 'bad', countries: 'all' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    return { error, sink, plain };
  }

  const expectLoudFailure = (
    outcome: Awaited<ReturnType<typeof failing>>,
    reason: ExportFailedError['reason'],
  ) => {
    expect(outcome.error).toBeInstanceOf(ExportFailedError);
    expect((outcome.error as ExportFailedError).reason).toBe(reason);
    expect(outcome.sink.discarded).toEqual(['bad']);
    expect(outcome.sink.names('bad')).toEqual([]);
    expect(outcome.sink.open.size).toBe(0);
    const text = `${(outcome.error as Error).message} ${String((outcome.error as Error).cause ?? '')}`;
    for (const s of outcome.plain) {
      expect(text).not.toContain(String(s.body.familyNames));
      expect(text).not.toContain(s.statementId);
    }
    expect(text).not.toContain(COMMON.familyNames);
  };

  it('fails on a tampered ciphertext, discarding every file', async () => {
    const outcome = await failing((sealed) =>
      sealed.map((s, i) => {
        if (i !== 20) return s;
        const ciphertext = new Uint8Array(s.personalData.ciphertext);
        ciphertext[3] = (ciphertext[3] ?? 0) ^ 1;
        return { ...s, personalData: { ...s.personalData, ciphertext } };
      }),
    );
    expectLoudFailure(outcome, 'decryption_failed');
  });

  it('fails when a ciphertext was moved to another statement (the AAD binds it)', async () => {
    const outcome = await failing((sealed) => {
      const [a, b] = [sealed[3], sealed[4]] as [SealedStatement, SealedStatement];
      return [
        ...sealed.slice(0, 3),
        { ...a, personalData: b.personalData },
        { ...b, personalData: a.personalData },
        ...sealed.slice(5),
      ];
    });
    expectLoudFailure(outcome, 'decryption_failed');
  });

  it('fails when a data key was issued under another context (e-mail data)', async () => {
    const keys = new Keys();
    const foreign = (
      await sealAll(everyMemberState().slice(0, 1), keys.sealer(10, { ...CONTEXT, purpose: 'email-data' }))
    )[0] as SealedStatement;
    const outcome = await failing(
      (sealed) => [
        ...sealed,
        {
          ...foreign,
          statementId: '99999999-0000-4000-8000-000000000000',
          personalData: { ...foreign.personalData, context: CONTEXT },
        },
      ],
      keys,
    );
    expectLoudFailure(outcome, 'decryption_failed');
  });

  it('fails when a statement says it was sealed under another context', async () => {
    const outcome = await failing((sealed) =>
      sealed.map((s, i) =>
        i === 5 ? { ...s, personalData: { ...s.personalData, context: { ...CONTEXT, purpose: 'x' } } } : s,
      ),
    );
    expectLoudFailure(outcome, 'decryption_failed');
  });

  it('fails when a data key record is missing', async () => {
    const keys = new Keys();
    const outcome = await failing((sealed) => {
      keys.store.records.delete(sealed[0]?.personalData.dataKeyRef ?? '');
      return sealed;
    }, keys);
    expectLoudFailure(outcome, 'decryption_failed');
  });

  it('fails on two statements with the same identifier', async () => {
    const outcome = await failing((sealed) => [...sealed, sealed[7] as SealedStatement]);
    expectLoudFailure(outcome, 'duplicate_statement');
  });

  it('fails on a malformed statement record', async () => {
    const outcome = await failing((sealed) =>
      sealed.map((s, i) => (i === 2 ? { ...s, submittedAt: '2026-11-02' } : s)),
    );
    expectLoudFailure(outcome, 'malformed_statement');
  });

  it('discards the export when the sink fails, and rethrows its error', async () => {
    const keys = new Keys();
    const sealed = await sealAll(everyMemberState(), keys.sealer());
    const sink = new MemorySink();
    sink.failOnWrite = 5;
    await expect(
      exporter(keys, new ArraySource(sealed), sink).execute({ exportId: 'bad', countries: 'all' }),
    ).rejects.toThrow('disk full');
    expect(sink.discarded).toEqual(['bad']);
    expect(sink.names('bad')).toEqual([]);
  });

  it('stops every segment when one fails to read', async () => {
    const keys = new Keys();
    const sealed = await sealAll(many(60), keys.sealer());
    let pagesAfterFailure = 0;
    let failed = false;
    const source = {
      async *scan(segment: number) {
        for (let page = 0; page < 20; page++) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (failed) pagesAfterFailure += 1;
          if (segment === 1 && page === 2) {
            failed = true;
            throw new Error('scan failed');
          }
          yield sealed.slice(page * 3, page * 3 + 3).filter((_, i) => i % 4 === segment);
        }
      },
    };
    const sink = new MemorySink();
    await expect(exporter(keys, source, sink).execute({ exportId: 'bad', countries: 'all' })).rejects.toThrow(
      'scan failed',
    );
    expect(pagesAfterFailure).toBeLessThanOrEqual(3);
    expect(sink.discarded).toEqual(['bad']);
  });

  it('refuses an unknown country code and a missing initiative', async () => {
    const keys = new Keys();
    await expect(
      exporter(keys, new ArraySource([]), new MemorySink()).execute({
        exportId: 'e',
        countries: ['XX' as MemberStateCode],
      }),
    ).rejects.toThrow(RangeError);
    await expect(
      exporter(keys, new ArraySource([]), new MemorySink(), {
        initiatives: new FakeInitiativeStore(undefined),
      }).execute({
        exportId: 'e',
        countries: 'all',
      }),
    ).rejects.toThrow('not configured');
  });
});
