import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { FileExportSink } from '@ocs/functions/adapters/file-export-sink.adapter';
import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { RunExport } from '@ocs/functions/export/run-export';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import type { EncryptionContext, KeyProvider } from '@ocs/shared/ports';
import { FakeInitiativeStore, FakeKeyProvider, InMemoryDataKeyStore } from '../../test/support/fakes';
import { BENCH_INITIATIVE_ID } from './config';
import { GeneratedStatementSource } from './sealed-statements';

/**
 * The generated export of the export benchmark, alone in its process (the suite bundles this file
 * with esbuild and forks it with the export function's V8 flags), so that the process's peak RSS
 * is the export's and the generator's, nothing else.
 */

const MB = 1024 * 1024;

/** What the child that runs the generated export reports. */
export interface GeneratedOutcome {
  readonly count: number;
  readonly perKey: number;
  readonly seconds: number;
  /** CPU time of this process during the export (user + system, every thread), seconds. */
  readonly cpuSeconds: number;
  /** CPU time of a second pass over the generator alone, seconds. */
  readonly generatorCpuSeconds: number;
  readonly bytes: number;
  readonly files: number;
  readonly spilledRuns: number;
  readonly distinctKeys: number;
  readonly decryptCalls: number;
  readonly rssBefore: number;
  readonly maxRss: number;
  readonly sampledPeak: number;
  readonly heapLimit: number;
}

/** A key provider that counts Decrypt calls. */
export class CountingKeyProvider implements KeyProvider {
  decryptCalls = 0;
  private readonly inner = new FakeKeyProvider();

  generateDataKey(context: EncryptionContext) {
    return this.inner.generateDataKey(context);
  }

  decrypt(ciphertext: Uint8Array, context: EncryptionContext) {
    this.decryptCalls += 1;
    return this.inner.decrypt(ciphertext, context);
  }
}

/** Child mode: the generated export alone in this process; figures go to the parent. */
export async function generatedExportChild(count: number, root: string): Promise<GeneratedOutcome> {
  const perKey = 10_000;
  const context: EncryptionContext = {
    [ENCRYPTION_CONTEXT.initiativeKey]: BENCH_INITIATIVE_ID,
    [ENCRYPTION_CONTEXT.purposeKey]: ENCRYPTION_CONTEXT.statementPurpose,
  };
  const keyProvider = new CountingKeyProvider();
  const dataKeyStore = new InMemoryDataKeyStore();
  const source = await GeneratedStatementSource.create(
    { count, perKey, initiativeId: BENCH_INITIATIVE_ID, context },
    keyProvider,
    dataKeyStore,
  );
  const outDir = join(root, 'exports');
  const runExport = new RunExport({
    initiativeId: BENCH_INITIATIVE_ID,
    initiatives: new FakeInitiativeStore(demoInitiative(BENCH_INITIATIVE_ID, new Date())),
    source,
    keyProvider,
    dataKeyStore,
    context,
    sink: new FileExportSink(outDir),
    clock: { now: () => new Date() },
    settings: { tempDir: root, progressEvery: 100_000 },
  });
  const rssBefore = process.memoryUsage.rss();
  let sampledPeak = rssBefore;
  const timer = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  }, 100);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runExport.execute({ exportId: 'bench-1m', countries: 'all' }, (p) => {
    if (p.phase !== 'done') {
      process.stderr.write(
        `[export] ${p.phase}: read ${p.read}, written ${p.written}, rss ${Math.round(process.memoryUsage.rss() / MB)} MB\n`,
      );
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  rmSync(outDir, { recursive: true, force: true });
  const maxRss = process.resourceUsage().maxRSS * 1024;
  // The generator alone (same segments), to tell its share of the CPU time from the pipeline's.
  const generatorBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 4 }, async (_, segment) => {
      for await (const page of source.scan(segment, 4)) if (page.length === 0) throw new Error('empty page');
    }),
  );
  const generator = process.cpuUsage(generatorBefore);
  return {
    count,
    perKey,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    generatorCpuSeconds: (generator.user + generator.system) / 1e6,
    bytes: result.files.reduce((n, f) => n + f.bytes, 0),
    files: result.files.length,
    spilledRuns: result.stats.spilledRuns,
    distinctKeys: source.distinctKeys,
    decryptCalls: keyProvider.decryptCalls,
    rssBefore,
    maxRss,
    sampledPeak: Math.max(sampledPeak, process.memoryUsage.rss()),
    heapLimit: getHeapStatistics().heap_size_limit,
  };
}

if (process.argv[2] === '--generated-export') {
  const outcome = await generatedExportChild(Number(process.argv[3]), String(process.argv[4]));
  process.send?.(outcome, () => process.exit(0));
}
