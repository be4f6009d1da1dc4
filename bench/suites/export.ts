import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamoDataKeyStore } from '@ocs/functions/adapters/dynamo-data-key-store.adapter';
import { DynamoInitiativeStore } from '@ocs/functions/adapters/dynamo-initiative-store.adapter';
import { DynamoStatementSource } from '@ocs/functions/adapters/dynamo-statement-source.adapter';
import { keyAttributes, keys } from '@ocs/functions/adapters/table-keys';
import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { RunExport } from '@ocs/functions/export/run-export';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { startDynamoDbLocal } from '@ocs/functions/local/dynamodb-local';
import { ensureTable } from '@ocs/functions/local/table';
import { encryptionContext, makeDynamoClient, tableName } from '@ocs/functions/wiring';
import type { ExportSink, SealedStatement } from '@ocs/shared/export';
import type { Clock } from '@ocs/shared/ports';
import { build } from 'esbuild';
import { BENCH_INITIATIVE_ID, benchConfig } from '../lib/config';
import { CountingKeyProvider, type GeneratedOutcome } from '../lib/export-generated';
import type { Figure } from '../lib/figures';
import type { BenchContext } from '../lib/measure';
import { GeneratedStatementSource } from '../lib/sealed-statements';
import { round } from '../lib/stats';

/**
 * The export to the national authorities through the REAL pipeline (RunExport: parallel
 * segments, external sort with spilled runs, one Decrypt per data key, AES-GCM open per statement,
 * XML, SHA-256, the local file sink into a temp directory):
 *  1. 1,000,000 statements from a generated source behind the same port as the DynamoDB source
 *     (real AES-256-GCM ciphertexts made on the fly, a data key per 10,000 statements): wall
 *     time, peak RSS, key-service Decrypt calls against distinct data keys;
 *  2. DynamoDB Local: 20,000 statements written as the submit path stores them, then read by the
 *     DynamoStatementSource's parallel scan alone, and exported end to end.
 * Targets: 1M in <= 60 s, peak RSS <= 256 MB, Decrypt calls = distinct data keys.
 */

const systemClock: Clock = { now: () => new Date() };
const here = dirname(fileURLToPath(import.meta.url));
const BANNER =
  "import{createRequire as __ocsCreateRequire}from'node:module';const require=__ocsCreateRequire(import.meta.url);";
const MB = 1024 * 1024;

/** A sink that drops the bytes (the engine hashes them anyway): the DynamoDB read is measured. */
const nullSink: ExportSink = {
  create: async () => ({ write: async () => {}, close: async () => {}, abort: async () => {} }),
  discard: async () => {},
};

/**
 * The export function's V8 setting (docs/export-format.md): a small young generation keeps the
 * heap of a streaming job near its live data. The benchmark runs the export under it, in its own
 * process, so the process's peak RSS is the export's (plus the generator and the TypeScript loader).
 */
const EXPORT_V8_FLAGS = ['--max-semi-space-size=4'];

async function generatedExport(ctx: BenchContext, root: string): Promise<Figure[]> {
  const count = ctx.scale(1_000_000, 50_000);
  ctx.log(
    `exporting ${count.toLocaleString('en-GB')} generated statements in a child process (${EXPORT_V8_FLAGS.join(' ')})`,
  );
  // Bundled by esbuild as the deployed function is, and run by plain Node: no TypeScript loader
  // in the process whose memory is measured.
  const bundle = join(root, 'export-generated.mjs');
  await build({
    entryPoints: [join(here, '..', 'lib', 'export-generated.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    banner: { js: BANNER },
    logLevel: 'silent',
  });
  const child = fork(bundle, ['--generated-export', String(count), root], {
    execArgv: EXPORT_V8_FLAGS,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ctx.defer(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const o = await new Promise<GeneratedOutcome>((resolve, reject) => {
    child.on('message', (m) => resolve(m as GeneratedOutcome));
    child.on('exit', (code) => reject(new Error(`generated export child exited with ${code}`)));
  });
  const label = `${count.toLocaleString('en-GB')} statements`;
  return [
    {
      key: 'export.generated.seconds',
      metric: `Export of ${label} (wall)`,
      value: round(o.seconds, 1),
      unit: 's',
      target: { op: '<=', value: 60 },
      note: `real pipeline: generated source (AES-GCM made on the fly), ${o.spilledRuns} sorted runs spilled, ${o.files} XML files + manifest to a temp dir; ${Math.round(count / o.seconds).toLocaleString('en-GB')} statements/s`,
      details: { ...o },
    },
    {
      key: 'export.generated.cpuSeconds',
      metric: `CPU time, export of ${label}`,
      value: round(o.cpuSeconds, 1),
      unit: 's',
      note: `user + system of the export process, every thread; less inflated than wall time by other load; ${round((o.cpuSeconds / count) * 1e6, 1)} µs per statement, of which the generator ${round((o.generatorCpuSeconds / count) * 1e6, 1)} µs (measured alone)`,
    },
    {
      key: 'export.generated.peakRssMb',
      metric: `Peak RSS, export of ${label}`,
      value: round(Math.max(o.maxRss, o.sampledPeak) / MB, 0),
      unit: 'MB',
      target: { op: '<=', value: 256 },
      note: `process high-water mark (getrusage), generator included (esbuild bundle, plain Node); ${Math.round(o.rssBefore / MB)} MB before the export started`,
    },
    {
      key: 'export.generated.keyDecrypts',
      metric: 'Key-service Decrypt calls, export',
      value: o.decryptCalls,
      unit: 'count',
      target: { op: '<=', value: o.distinctKeys },
      note: `${o.distinctKeys} distinct data keys (one per ${o.perKey.toLocaleString('en-GB')} statements); target: one Decrypt per distinct key`,
    },
    {
      key: 'export.generated.outputMb',
      metric: `Export size, ${label}`,
      value: round(o.bytes / MB, 0),
      unit: 'MB',
      note: 'sum of the country files (two-space indented XML)',
    },
  ];
}

async function dynamoExport(ctx: BenchContext, root: string): Promise<Figure[]> {
  const count = ctx.scale(20_000, 2_000);
  ctx.log('starting DynamoDB Local');
  const local = await startDynamoDbLocal(join(root, 'dynamodb'));
  ctx.defer(() => local.stop());
  const config = benchConfig(local.endpoint, root);
  const table = tableName(config);
  const db = makeDynamoClient(config);
  ctx.defer(() => db.destroy());
  await ensureTable(db, table);
  const initiatives = new DynamoInitiativeStore(db, table);
  await initiatives.createIfAbsent(demoInitiative(BENCH_INITIATIVE_ID, new Date()));
  const context = encryptionContext(config, ENCRYPTION_CONTEXT.statementPurpose);
  const keyProvider = new CountingKeyProvider();
  const dataKeyStore = new DynamoDataKeyStore(db, table);
  const source = await GeneratedStatementSource.create(
    { count, perKey: 10_000, initiativeId: BENCH_INITIATIVE_ID, context },
    keyProvider,
    dataKeyStore,
  );

  ctx.log(`writing ${count.toLocaleString('en-GB')} statement items`);
  const item = (s: SealedStatement, i: number): WriteRequest => ({
    PutRequest: {
      Item: {
        ...keyAttributes(keys.statement(`bench${String(i).padStart(10, '0')}`)),
        statementId: { S: s.statementId },
        submissionId: { S: s.statementId },
        country: { S: s.country },
        annexRevision: { N: String(s.annexRevision) },
        submittedAt: { S: s.submittedAt },
        dk: { S: s.personalData.dataKeyRef },
        ctx: { M: Object.fromEntries(Object.entries(s.personalData.context).map(([k, v]) => [k, { S: v }])) },
        iv: { B: s.personalData.iv },
        ct: { B: s.personalData.ciphertext },
        expiresAt: { N: '2000000000' },
      },
    },
  });
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < count; i += 25) {
    batches.push(
      Array.from({ length: Math.min(25, count - i) }, (_, j) => item(source.statement(i + j), i + j)),
    );
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let pending: WriteRequest[] | undefined = batches[next++];
        while (pending && pending.length > 0) {
          const out = await db.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = out.UnprocessedItems?.[table];
        }
      }
    }),
  );

  const segments = 4;
  const scanSource = new DynamoStatementSource(db, table);
  const scanStarted = performance.now();
  let scanned = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, s) => {
      for await (const page of scanSource.scan(s, segments)) scanned += page.length;
    }),
  );
  const scanSeconds = (performance.now() - scanStarted) / 1000;
  if (scanned !== count) throw new Error(`scanned ${scanned} statements, expected ${count}`);

  const runExport = new RunExport({
    initiativeId: BENCH_INITIATIVE_ID,
    initiatives,
    source: scanSource,
    keyProvider,
    dataKeyStore,
    context,
    sink: nullSink,
    clock: systemClock,
    settings: { tempDir: root, segments },
  });
  const exportStarted = performance.now();
  const result = await runExport.execute({ exportId: 'bench-dynamodb', countries: 'all' });
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  if (result.stats.exported !== count)
    throw new Error(`exported ${result.stats.exported}, expected ${count}`);
  ctx.log(`scan ${scanSeconds.toFixed(1)} s, export ${exportSeconds.toFixed(1)} s`);
  return [
    {
      key: 'export.dynamodb.scanRate',
      metric: `DynamoDB Local read rate (${segments}-segment parallel scan)`,
      value: Math.round(count / scanSeconds),
      unit: 'per s',
      note: `${count.toLocaleString('en-GB')} statement items, strongly consistent, DynamoStatementSource alone (DynamoDB Local is a single Java process: AWS scales with segments)`,
    },
    {
      key: 'export.dynamodb.exportRate',
      metric: 'Export from DynamoDB Local, end to end',
      value: Math.round(count / exportSeconds),
      unit: 'per s',
      note: `${count.toLocaleString('en-GB')} statements: scan, sort, Decrypt (${keyProvider.decryptCalls} calls for ${source.distinctKeys} keys), open, XML, SHA-256; output dropped`,
    },
  ];
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), 'ocs-bench-export-'));
  ctx.defer(() => rmSync(root, { recursive: true, force: true }));
  const generated = await generatedExport(ctx, root);
  const dynamo = await dynamoExport(ctx, root);
  return [...generated, ...dynamo];
}
