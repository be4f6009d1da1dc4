import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import { RunExport, type RunExportDeps } from '@ocs/functions/export/run-export';
import { encodeJson, personalDataOf, statementAad } from '@ocs/functions/use-cases/personal-data';
import { ANNEX_REVISION, type MemberStateCode, validateStatement } from '@ocs/shared';
import type {
  ExportFileWriter,
  ExportSink,
  SealedStatement,
  StatementMode,
  StatementSource,
} from '@ocs/shared/export';
import type { EncryptionContext } from '@ocs/shared/ports';
import { validateXML } from 'xmllint-wasm';
import { TODAY } from '../../../fixtures/rulebook/statements';
import { ManualClock } from '../../../support/clock';
import { FakeInitiativeStore, FakeKeyProvider, InMemoryDataKeyStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
export const XSD_PATH = join(repoRoot, 'functions', 'src', 'export', 'schema', 'ocs-export.xsd');
export const INITIATIVE_ID = 'clean-rivers';
export const CONTEXT: EncryptionContext = Object.freeze({
  initiative: INITIATIVE_ID,
  purpose: 'statement-data',
});

/** One statement to seal: its body as the Citizen API receives it, and its stored metadata. */
export interface PlainStatement {
  readonly body: Record<string, unknown>;
  readonly statementId: string;
  readonly submittedAt: string;
  readonly mode?: StatementMode;
}

/** The key world of one test: a counting key provider, the data-key records, a sealer. */
export class Keys {
  readonly provider = new FakeKeyProvider();
  readonly store = new InMemoryDataKeyStore();
  readonly clock = new ManualClock();

  /** A sealer that rotates its data key every `maxUses` statements. */
  sealer(maxUses = 10_000, context: EncryptionContext = CONTEXT): EnvelopeSealer {
    return new EnvelopeSealer({
      keyProvider: this.provider,
      dataKeyStore: this.store,
      context,
      clock: this.clock,
      policy: { maxAgeMs: 3_600_000, maxUses },
    });
  }
}

/** Seals statements as the submit path does (validated, `personalDataOf`, AAD of the item). */
export async function sealAll(
  statements: readonly PlainStatement[],
  sealer: EnvelopeSealer,
  initiativeId = INITIATIVE_ID,
): Promise<SealedStatement[]> {
  const out: SealedStatement[] = [];
  for (const s of statements) {
    const validation = validateStatement(s.body, { today: TODAY });
    if (!validation.ok) throw new Error(`fixture statement is invalid: ${JSON.stringify(validation.errors)}`);
    const v = validation.value;
    out.push({
      statementId: s.statementId,
      country: v.nationality,
      submittedAt: s.submittedAt,
      annexRevision: ANNEX_REVISION,
      mode: s.mode ?? 'live',
      personalData: await sealer.seal(
        encodeJson(personalDataOf(v)),
        statementAad(initiativeId, v.nationality, s.statementId),
        1_900_000_000,
      ),
    });
  }
  return out;
}

/** Records split over segments (record i in segment i mod total) and pages, in the given order. */
export class ArraySource implements StatementSource {
  scans = 0;

  constructor(
    private readonly records: readonly SealedStatement[],
    private readonly pageSize = 3,
  ) {}

  async *scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedStatement[]> {
    this.scans += 1;
    const mine = this.records.filter((_, i) => i % totalSegments === segment);
    for (let i = 0; i < mine.length; i += this.pageSize) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield mine.slice(i, i + this.pageSize);
    }
  }
}

/** Every XML file a MemorySink completed since the last `takeProducedXml()`. */
const producedXml: Array<{ name: string; xml: Buffer }> = [];

/** The XML files produced since the last call (for an `afterEach` that validates them all). */
export function takeProducedXml(): Array<{ name: string; xml: Buffer }> {
  return producedXml.splice(0, producedXml.length);
}

/** Export files in memory; a file exists only once closed. */
export class MemorySink implements ExportSink {
  readonly files = new Map<string, Buffer>();
  readonly open = new Set<string>();
  readonly contentTypes = new Map<string, string>();
  discarded: string[] = [];
  /** Fails the n-th write (1-based) when set. */
  failOnWrite: number | undefined;
  private writes = 0;

  async create(exportId: string, name: string, contentType: string): Promise<ExportFileWriter> {
    const path = `${exportId}/${name}`;
    const chunks: Buffer[] = [];
    this.open.add(path);
    this.contentTypes.set(path, contentType);
    return {
      write: async (chunk) => {
        this.writes += 1;
        if (this.failOnWrite === this.writes) throw new Error('disk full');
        chunks.push(Buffer.from(chunk));
      },
      close: async () => {
        this.open.delete(path);
        const bytes = Buffer.concat(chunks);
        this.files.set(path, bytes);
        if (name.endsWith('.xml')) producedXml.push({ name: path, xml: bytes });
      },
      abort: async () => {
        this.open.delete(path);
      },
    };
  }

  async discard(exportId: string): Promise<void> {
    this.discarded.push(exportId);
    for (const path of [...this.files.keys()]) if (path.startsWith(`${exportId}/`)) this.files.delete(path);
  }

  file(exportId: string, name: string): Buffer {
    const bytes = this.files.get(`${exportId}/${name}`);
    if (!bytes) throw new Error(`no file ${exportId}/${name}`);
    return bytes;
  }

  names(exportId: string): string[] {
    return [...this.files.keys()]
      .filter((p) => p.startsWith(`${exportId}/`))
      .map((p) => p.slice(exportId.length + 1))
      .sort();
  }
}

/** A RunExport over `records` with in-memory ports; `overrides` replace any of them. */
export function exporter(
  keys: Keys,
  source: StatementSource,
  sink: ExportSink,
  overrides: Partial<RunExportDeps> = {},
) {
  return new RunExport({
    initiativeId: INITIATIVE_ID,
    initiatives: new FakeInitiativeStore(testInitiative()),
    source,
    keyProvider: keys.provider,
    dataKeyStore: keys.store,
    context: CONTEXT,
    sink,
    clock: new ManualClock(Date.parse('2026-12-01T09:00:00Z')),
    ...overrides,
  });
}

let xsd: string | undefined;

/** Validates XML documents against the project's XSD with libxml2 (xmllint-wasm); returns the errors. */
export async function xsdErrors(
  files: ReadonlyArray<{ name: string; xml: string | Uint8Array }>,
): Promise<string[]> {
  xsd ??= readFileSync(XSD_PATH, 'utf8');
  const result = await validateXML({
    xml: files.map((f) => ({ fileName: f.name, contents: f.xml })),
    schema: [{ fileName: 'ocs-export.xsd', contents: xsd }],
    maxMemoryPages: 4096,
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

/** A UUID made from a number, so fixtures have stable, sortable identifiers. */
export function uuidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** Every country code of a sink's XML files, in order. */
export const xmlCountries = (names: readonly string[]) =>
  names.filter((n) => n.endsWith('.xml')).map((n) => n.slice(0, 2) as MemberStateCode);
