import { createHash, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import {
  type ExportCountries,
  ExportFailedError,
  type ExportFileSummary,
  type ExportManifest,
  type ExportProgress,
  type ExportSink,
  type SealedStatement,
  type StatementSource,
} from '@ocs/shared/export';
import type { Clock, DataKeyStore, EncryptionContext, InitiativeStore, KeyProvider } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { DataKeyring } from '../crypto/data-keyring';
import { statementAad } from '../use-cases/personal-data';
import { CountryFile } from './country-file';
import { ExternalSorter, mergeRuns } from './external-sort';
import { type GreeceCode, signatoryGroups } from './signatory';
import { compareEntries, decodeEntry, encodeEntry, SORT_KEY_BYTES, type SortedStatement } from './sort-entry';
import {
  type InitiativeHead,
  initiativeHead,
  SUPPORT_FORM_TAIL,
  SubmissionDates,
  signatureXml,
  supportFormHead,
} from './support-form';

export interface ExportSettings {
  /** How `forCountry` and a residence in Greece are written (docs/export-format.md). */
  readonly greece: GreeceCode;
  /** Parallel scan segments read at once. */
  readonly segments: number;
  /** Entries per sorted run before it is spilled to disk (memory: about 400 bytes each). */
  readonly maxRunEntries: number;
  /** Where runs are spilled (a private directory is made inside it and removed after). */
  readonly tempDir: string;
  /** Characters gathered before a chunk is written to a country file. */
  readonly chunkChars: number;
  /** Statements between two progress reports. */
  readonly progressEvery: number;
}

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = Object.freeze({
  greece: 'gr',
  segments: 4,
  maxRunEntries: 50_000,
  tempDir: tmpdir(),
  chunkChars: 64 * 1024,
  progressEvery: 10_000,
});

export interface RunExportDeps {
  readonly initiativeId: string;
  readonly initiatives: InitiativeStore;
  readonly source: StatementSource;
  readonly keyProvider: KeyProvider;
  readonly dataKeyStore: DataKeyStore;
  /** The statements' encryption context (initiative and purpose): the only one the export opens. */
  readonly context: EncryptionContext;
  readonly sink: ExportSink;
  readonly clock: Clock;
  readonly settings?: Partial<ExportSettings>;
}

export interface ExportRequest {
  readonly exportId: string;
  readonly countries: ExportCountries;
}

export interface ExportResult {
  readonly exportId: string;
  readonly createdAt: string;
  readonly files: readonly ExportFileSummary[];
  readonly manifest: ExportManifest;
  /** SHA-256 (hex) and size of `manifest.json` as written. */
  readonly manifestSha256: string;
  readonly manifestBytes: number;
  /** How the run went, for logs, metrics and the benchmark (no personal data). */
  readonly stats: {
    readonly exported: number;
    readonly skippedTest: number;
    readonly dataKeys: number;
    readonly keyDecryptCalls: number;
    readonly spilledRuns: number;
  };
}

export type ProgressListener = (progress: ExportProgress) => void | Promise<void>;

export const MANIFEST_FILE = 'manifest.json';
const XML_TYPE = 'application/xml';
const decoder = new TextDecoder('utf-8', { fatal: true });

const sameContext = (a: EncryptionContext, b: EncryptionContext) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * Export statements for the national authorities (one file per Member State of nationality).
 * Input: the export's id and its countries (`all`, or a list). Output: the files' manifest lines
 * and `manifest.json`, written to the sink under the export's id; progress through `onProgress`.
 * Steps:
 *  1. read the source in parallel segments; keep live statements of the requested countries
 *     (test-mode ones are never exported); start unwrapping each new data key once; feed the
 *     still-sealed statements to a bounded-memory external sort (runs spilled to a private temp
 *     directory hold ciphertext only);
 *  2. wait for every data key: one key-service Decrypt per distinct key, with the statements'
 *     context, so the key policy decides;
 *  3. merge the runs in (country, submission time, identifier) order: per country, one file:
 *     head, one signature per statement (opened with AES-GCM and its AAD; a failure stops the
 *     export), tail; bytes and SHA-256 counted as they are written;
 *  4. write `manifest.json`.
 * Any failure discards every file of the export and rethrows (an `ExportFailedError` names the
 * reason, never a person). The keys are dropped and the temp directory removed in every case.
 * Two runs over the same data write byte-identical country files.
 */
export class RunExport {
  private readonly settings: ExportSettings;
  private readonly aadBuffers = new Map<MemberStateCode, Buffer>();

  constructor(private readonly deps: RunExportDeps) {
    this.settings = { ...DEFAULT_EXPORT_SETTINGS, ...deps.settings };
  }

  async execute(request: ExportRequest, onProgress: ProgressListener = () => {}): Promise<ExportResult> {
    const { deps, settings } = this;
    const initiative = await deps.initiatives.get();
    if (!initiative) throw new InitiativeNotConfiguredError();
    const wanted = request.countries === 'all' ? undefined : new Set(request.countries);
    if (wanted && [...wanted].some((c) => !MEMBER_STATES.includes(c))) {
      throw new RangeError('Unknown Member State code in the export request.');
    }
    const createdAt = deps.clock.now().toISOString();
    const keyring = new DataKeyring(deps.keyProvider, deps.dataKeyStore, deps.context);
    const dir = await mkdtemp(join(settings.tempDir, 'ocs-export-'));
    try {
      const sorter = new ExternalSorter({ dir, maxRunEntries: settings.maxRunEntries });
      const counts = await this.read(sorter, keyring, wanted, onProgress);
      try {
        await keyring.ready();
      } catch (error) {
        throw new ExportFailedError('decryption_failed', { cause: error });
      }
      const runs = await sorter.finish();
      const head = initiativeHead(initiative);
      const files = await this.write(
        request.exportId,
        mergeRuns(runs),
        head,
        keyring,
        wanted,
        counts.read,
        onProgress,
      );
      const manifest: ExportManifest = {
        exportId: request.exportId,
        initiative: initiative.registrationNumber,
        createdAt,
        files,
      };
      const manifestBody = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
      const writer = await deps.sink.create(request.exportId, MANIFEST_FILE, 'application/json');
      await writer.write(manifestBody);
      await writer.close();
      await onProgress({ phase: 'done', read: counts.read, written: counts.read });
      return {
        exportId: request.exportId,
        createdAt,
        files,
        manifest,
        manifestSha256: createHash('sha256').update(manifestBody).digest('hex'),
        manifestBytes: manifestBody.length,
        stats: {
          exported: counts.read,
          skippedTest: counts.skippedTest,
          dataKeys: keyring.size,
          keyDecryptCalls: keyring.decryptCalls,
          spilledRuns: sorter.spilledRuns,
        },
      };
    } catch (error) {
      await deps.sink.discard(request.exportId).catch(() => {});
      throw error;
    } finally {
      keyring.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Step 1: every segment at once; the first failure stops the others at their next page. */
  private async read(
    sorter: ExternalSorter,
    keyring: DataKeyring,
    wanted: ReadonlySet<MemberStateCode> | undefined,
    onProgress: ProgressListener,
  ): Promise<{ read: number; skippedTest: number }> {
    const { deps, settings } = this;
    const counts = { read: 0, skippedTest: 0 };
    let nextReport = settings.progressEvery;
    let stopped = false;
    const accept = async (statement: SealedStatement) => {
      if (statement.mode !== 'live') {
        counts.skippedTest += 1;
        return;
      }
      if (wanted && !wanted.has(statement.country)) return;
      if (!sameContext(statement.personalData.context, deps.context)) {
        throw new ExportFailedError('decryption_failed');
      }
      const entry = encodeEntry(statement);
      keyring.prefetch(statement.personalData.dataKeyRef);
      counts.read += 1;
      await sorter.add(entry);
    };
    const segment = async (index: number) => {
      for await (const page of deps.source.scan(index, settings.segments)) {
        if (stopped) return;
        for (const statement of page) await accept(statement);
        if (counts.read >= nextReport) {
          nextReport = counts.read + settings.progressEvery;
          await onProgress({ phase: 'reading', read: counts.read, written: 0 });
        }
      }
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: settings.segments }, (_, i) =>
        segment(i).catch((error: unknown) => {
          stopped = true;
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;
    await onProgress({ phase: 'reading', read: counts.read, written: 0 });
    return counts;
  }

  /** Step 3: one pass over the merged runs, one country file at a time. */
  private async write(
    exportId: string,
    entries: AsyncIterable<Buffer>,
    head: InitiativeHead,
    keyring: DataKeyring,
    wanted: ReadonlySet<MemberStateCode> | undefined,
    total: number,
    onProgress: ProgressListener,
  ): Promise<ExportFileSummary[]> {
    const { deps, settings } = this;
    const files: ExportFileSummary[] = [];
    // Requested countries without statements still get their (empty) file, in code order.
    const pendingEmpty = [...(wanted ?? [])].sort();
    const dates = new SubmissionDates();
    let file: CountryFile | undefined;
    // The previous entry's sort key, copied: merged entries are views reused by the next read.
    const previous = Buffer.alloc(SORT_KEY_BYTES);
    let first = true;
    let written = 0;

    const openFile = async (country: MemberStateCode) => {
      const writer = await deps.sink.create(exportId, `${country}.xml`, XML_TYPE);
      const opened = new CountryFile(country, writer, settings.chunkChars);
      opened.add(supportFormHead(country, head, settings.greece));
      return opened;
    };
    const closeFile = async (done: CountryFile) => {
      done.add(SUPPORT_FORM_TAIL);
      files.push(await done.close());
    };
    const emptyFilesBefore = async (country: MemberStateCode | undefined) => {
      for (
        let next = pendingEmpty[0];
        next !== undefined && (country === undefined || next < country);
        next = pendingEmpty[0]
      ) {
        pendingEmpty.shift();
        await closeFile(await openFile(next));
      }
    };

    try {
      for await (const entry of entries) {
        if (!first && compareEntries(previous, entry) === 0)
          throw new ExportFailedError('duplicate_statement');
        const sameCountry = !first && previous.compare(entry, 0, 2, 0, 2) === 0;
        entry.copy(previous, 0, 0, SORT_KEY_BYTES);
        first = false;
        const statement = decodeEntry(entry);
        if (!file || !sameCountry) {
          if (file) await closeFile(file);
          file = undefined;
          await emptyFilesBefore(statement.country);
          if (pendingEmpty[0] === statement.country) pendingEmpty.shift();
          file = await openFile(statement.country);
        }
        const key = keyring.get(statement.dataKeyRef) ?? (await keyring.load(statement.dataKeyRef));
        const data = this.open(keyring, key, statement);
        const groups = signatoryGroups(statement.country, data, settings.greece);
        const xml = signatureXml(
          dates.of(statement.submittedAt),
          statement.statementId,
          statement.annexRevision,
          groups,
        );
        if (file.add(xml, true)) await file.flush();
        written += 1;
        if (written % settings.progressEvery === 0)
          await onProgress({ phase: 'writing', read: total, written });
      }
      if (file) await closeFile(file);
      file = undefined;
      await emptyFilesBefore(undefined);
      return files;
    } catch (error) {
      await file?.abort().catch(() => {});
      throw error;
    }
  }

  /**
   * `statementAad(initiative, country, id)` without encoding a string per statement: the AAD ends
   * with the identifier (ASCII), so one buffer per country holds the rest and gets the id written in.
   */
  private aad(country: MemberStateCode, statementId: string): Buffer {
    let buffer = this.aadBuffers.get(country);
    if (!buffer) {
      const prefix = statementAad(this.deps.initiativeId, country, '');
      buffer = Buffer.alloc(prefix.length + statementId.length);
      buffer.set(prefix, 0);
      this.aadBuffers.set(country, buffer);
    }
    buffer.write(statementId, buffer.length - statementId.length, 'latin1');
    return buffer;
  }

  /** Opens one statement's personal data; any failure is `decryption_failed` or `malformed_statement`. */
  private open(keyring: DataKeyring, key: KeyObject, s: SortedStatement): Readonly<Record<string, unknown>> {
    let plaintext: Uint8Array;
    try {
      plaintext = keyring.open(key, s.iv, s.ciphertext, this.aad(s.country, s.statementId));
    } catch (error) {
      throw new ExportFailedError('decryption_failed', { cause: error });
    }
    try {
      const data: unknown = JSON.parse(decoder.decode(plaintext));
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error();
      return data as Record<string, unknown>;
    } catch {
      // No cause: a JSON parse error quotes the text it could not parse, personal data included.
      throw new ExportFailedError('malformed_statement');
    } finally {
      plaintext.fill(0);
    }
  }
}
