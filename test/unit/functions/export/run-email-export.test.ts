import { createHash } from 'node:crypto';
import { RunEmailExport } from '@ocs/functions/export/run-email-export';
import { emailAad, encodeJson } from '@ocs/functions/use-cases/personal-data';
import type { ExportProgress } from '@ocs/shared/export';
import { type EmailSource, ExportFailedError, type SealedEmail } from '@ocs/shared/export';
import type { EncryptionContext } from '@ocs/shared/ports';
import { beforeEach, describe, expect, it } from 'vitest';
import { INITIATIVE_ID, Keys, MemorySink, uuidOf } from './support';

const EMAIL_CONTEXT = Object.freeze({ initiative: INITIATIVE_ID, purpose: 'email-data' });
const STATEMENT_CONTEXT = Object.freeze({ initiative: INITIATIVE_ID, purpose: 'statement-data' });
const NOW_SECONDS = Math.floor(Date.parse('2026-11-28T10:00:00Z') / 1000);
const EXPORT_ID = '20261202T090000000Z-00112233445566ff';

/** E-mail items split over segments (item i in segment i mod total), two per page. */
class EmailArraySource implements EmailSource {
  constructor(private readonly items: readonly SealedEmail[]) {}

  async *scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedEmail[]> {
    const mine = this.items.filter((_, i) => i % totalSegments === segment);
    for (let i = 0; i < mine.length; i += 2) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield mine.slice(i, i + 2);
    }
  }
}

let keys: Keys;
let sink: MemorySink;
beforeEach(() => {
  keys = new Keys();
  sink = new MemorySink();
});

/** Seals addresses as the submit path does (its own purpose, AAD of the statement id). */
async function sealed(
  addresses: ReadonlyArray<
    string | { email: unknown; mode?: 'live' | 'test'; expires?: number; id?: string }
  >,
  context: EncryptionContext = EMAIL_CONTEXT,
): Promise<SealedEmail[]> {
  const sealer = keys.sealer(3, context);
  return Promise.all(
    addresses.map(async (entry, i) => {
      const e = typeof entry === 'string' ? { email: entry } : entry;
      const statementId = e.id ?? uuidOf(i + 1);
      return {
        statementId,
        mode: e.mode ?? 'live',
        expiresAtEpochSeconds: e.expires ?? NOW_SECONDS + 86_400,
        sealed: await sealer.seal(
          encodeJson({ email: e.email }),
          emailAad(INITIATIVE_ID, statementId),
          1_900_000_000,
        ),
      };
    }),
  );
}

function exporter(items: readonly SealedEmail[], segments = 3) {
  return new RunEmailExport({
    initiativeId: INITIATIVE_ID,
    source: new EmailArraySource(items),
    keyProvider: keys.provider,
    dataKeyStore: keys.store,
    context: EMAIL_CONTEXT,
    sink,
    clock: keys.clock,
    segments,
    progressEvery: 2,
  });
}

describe('RunEmailExport', () => {
  it('writes the distinct live addresses, sorted, one per CRLF line under an `email` header, hashed as written', async () => {
    const items = await sealed([
      'zoe@example.org',
      'anna@example.org',
      'mark@example.org',
      'anna@example.org',
    ]);
    const progress: ExportProgress[] = [];
    const result = await exporter(items).execute({ exportId: EXPORT_ID }, (p) => {
      progress.push(p);
    });

    const bytes = sink.file(EXPORT_ID, 'emails.csv');
    expect(bytes.toString('utf8')).toBe(
      'email\r\nanna@example.org\r\nmark@example.org\r\nzoe@example.org\r\n',
    );
    expect(sink.contentTypes.get(`${EXPORT_ID}/emails.csv`)).toBe('text/csv; charset=utf-8');
    expect(result).toEqual({
      read: 4,
      addresses: 3,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(progress.at(-1)).toEqual({ phase: 'done', read: 4, written: 3 });
    // One Decrypt per data key (the sealer rotates every 3 items), under the e-mails' context only.
    expect(keys.provider.decryptCalls).toBe(2);
  });

  it('leaves out e-mails given in test mode and those past their retention', async () => {
    const items = await sealed([
      'kept@example.org',
      { email: 'test@example.org', mode: 'test' },
      { email: 'expired@example.org', expires: NOW_SECONDS },
    ]);
    await exporter(items).execute({ exportId: EXPORT_ID });
    expect(sink.file(EXPORT_ID, 'emails.csv').toString('utf8')).toBe('email\r\nkept@example.org\r\n');
  });

  it('writes an empty file (the header) when nobody gave an address', async () => {
    const result = await exporter([]).execute({ exportId: EXPORT_ID });
    expect(sink.file(EXPORT_ID, 'emails.csv').toString('utf8')).toBe('email\r\n');
    expect(result.addresses).toBe(0);
  });

  it('cannot open a statement’s data: data keys issued for statements fail with decryption_failed, nothing kept', async () => {
    const items = await sealed(['anna@example.org'], STATEMENT_CONTEXT);
    await expect(exporter(items).execute({ exportId: EXPORT_ID })).rejects.toMatchObject({
      reason: 'decryption_failed',
    });
    expect(sink.discarded).toEqual([EXPORT_ID]);
    expect(sink.names(EXPORT_ID)).toEqual([]);
  });

  it('fails on a ciphertext moved to another item (the AAD names the statement)', async () => {
    const [item] = await sealed(['anna@example.org']);
    const moved = { ...(item as SealedEmail), statementId: uuidOf(99) };
    await expect(exporter([moved]).execute({ exportId: EXPORT_ID })).rejects.toMatchObject({
      reason: 'decryption_failed',
    });
  });

  it('fails on a sealed value that is not an address record, without quoting it', async () => {
    const items = await sealed([{ email: 42 }]);
    const failure = await exporter(items)
      .execute({ exportId: EXPORT_ID })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ExportFailedError);
    expect(failure).toMatchObject({ reason: 'malformed_statement' });
    expect((failure as Error).cause).toBeUndefined();
  });

  it('discards the file when it cannot be written', async () => {
    sink.failOnWrite = 1;
    await expect(exporter(await sealed(['a@example.org'])).execute({ exportId: EXPORT_ID })).rejects.toThrow(
      'disk full',
    );
    expect(sink.discarded).toEqual([EXPORT_ID]);
  });
});
