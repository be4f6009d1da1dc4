import { createHash } from 'node:crypto';
import { type EmailSource, ExportFailedError, type ExportSink, type SealedEmail } from '@ocs/shared/export';
import { type EmailFileSummary, EXPORT_FILES } from '@ocs/shared/export-job';
import type { Clock, DataKeyStore, EncryptionContext, KeyProvider } from '@ocs/shared/ports';
import { DataKeyring } from '../crypto/data-keyring';
import { emailAad } from '../use-cases/personal-data';
import type { ProgressListener } from './run-export';

export interface RunEmailExportDeps {
  readonly initiativeId: string;
  readonly source: EmailSource;
  readonly keyProvider: KeyProvider;
  readonly dataKeyStore: DataKeyStore;
  /** The e-mails' encryption context (initiative and `email-data`): the only one this export opens. */
  readonly context: EncryptionContext;
  readonly sink: ExportSink;
  readonly clock: Clock;
  /** Parallel scan segments (default 4). */
  readonly segments?: number;
  /** Items between two progress reports (default 10,000). */
  readonly progressEvery?: number;
}

export interface EmailExportResult extends EmailFileSummary {
  /** Live, unexpired e-mail items read (an address given by several signatories counts once in the file). */
  readonly read: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const CSV_HEADER = 'email';

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Export the e-mail addresses signatories gave with their consent to receive updates, for the
 * organisers (one CSV file, `emails.csv`: a header `email`, then one distinct address per line,
 * sorted, CRLF line ends, UTF-8).
 * Steps: read every e-mail item in parallel segments; skip test-mode ones and those past their
 * retention; open each with its data key, unwrapped once per key under the e-mails' context only
 * (the key policy lets this role decrypt nothing else, so this export cannot read a statement) and
 * its AAD (initiative, statement id); collect the distinct addresses; write the sorted file, hashed
 * as written. Any failure discards the file and rethrows (a stable reason, never an address).
 * Memory holds the distinct addresses (tens of MB for a million), not the items.
 */
export class RunEmailExport {
  constructor(private readonly deps: RunEmailExportDeps) {}

  async execute(request: { readonly exportId: string }, onProgress: ProgressListener = () => {}) {
    const { deps } = this;
    const keyring = new DataKeyring(deps.keyProvider, deps.dataKeyStore, deps.context);
    const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
    const addresses = new Set<string>();
    const counts = { read: 0 };
    const every = deps.progressEvery ?? 10_000;
    let nextReport = every;
    try {
      const segments = deps.segments ?? 4;
      let stopped = false;
      const accept = async (email: SealedEmail) => {
        if (email.mode !== 'live' || email.expiresAtEpochSeconds <= nowSeconds) return;
        addresses.add(await this.open(keyring, email));
        counts.read += 1;
      };
      const segment = async (index: number) => {
        for await (const page of deps.source.scan(index, segments)) {
          if (stopped) return;
          for (const email of page) await accept(email);
          if (counts.read >= nextReport) {
            nextReport = counts.read + every;
            await onProgress({ phase: 'reading', read: counts.read, written: 0 });
          }
        }
      };
      const outcomes = await Promise.allSettled(
        Array.from({ length: segments }, (_, i) =>
          segment(i).catch((error: unknown) => {
            stopped = true;
            throw error;
          }),
        ),
      );
      const failure = outcomes.find((o) => o.status === 'rejected');
      if (failure) throw failure.reason;
      await onProgress({ phase: 'writing', read: counts.read, written: 0 });

      const sorted = [...addresses].sort();
      addresses.clear();
      const body = Buffer.from(`${[CSV_HEADER, ...sorted.map(csvField)].join('\r\n')}\r\n`, 'utf8');
      const writer = await deps.sink.create(
        request.exportId,
        EXPORT_FILES.emails.name,
        EXPORT_FILES.emails.contentType,
      );
      try {
        await writer.write(body);
        await writer.close();
      } catch (error) {
        await writer.abort().catch(() => {});
        throw error;
      }
      await onProgress({ phase: 'done', read: counts.read, written: sorted.length });
      const result: EmailExportResult = {
        read: counts.read,
        addresses: sorted.length,
        bytes: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
      };
      return result;
    } catch (error) {
      await deps.sink.discard(request.exportId).catch(() => {});
      throw error;
    } finally {
      addresses.clear();
      keyring.dispose();
    }
  }

  /** One address, opened with its key and AAD; any failure is `decryption_failed` or `malformed_statement`. */
  private async open(keyring: DataKeyring, email: SealedEmail): Promise<string> {
    let plaintext: Uint8Array;
    try {
      const key = keyring.get(email.sealed.dataKeyRef) ?? (await keyring.load(email.sealed.dataKeyRef));
      plaintext = keyring.open(
        key,
        email.sealed.iv,
        email.sealed.ciphertext,
        emailAad(this.deps.initiativeId, email.statementId),
      );
    } catch (error) {
      throw new ExportFailedError('decryption_failed', { cause: error });
    }
    try {
      const data: unknown = JSON.parse(decoder.decode(plaintext));
      const address = (data as { email?: unknown } | null)?.email;
      if (typeof address !== 'string' || address === '') throw new Error();
      return address;
    } catch {
      // No cause: a parse error may quote the text, an address included.
      throw new ExportFailedError('malformed_statement');
    } finally {
      plaintext.fill(0);
    }
  }
}
