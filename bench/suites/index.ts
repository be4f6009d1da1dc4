import type { Figure } from '../lib/figures';
import type { BenchContext } from '../lib/measure';

/** A benchmark module: it measures and returns figures; it never judges them. */
export interface BenchmarkModule {
  run(ctx: BenchContext): Promise<Figure[]>;
}

export interface BenchmarkEntry {
  readonly summary: string;
  readonly load: () => Promise<BenchmarkModule>;
}

/** Every benchmark of `npm run bench`, in the order they run. `npm run bench -- <name>` runs one. */
export const BENCHMARKS: Readonly<Record<string, BenchmarkEntry>> = {
  'handler-cpu': {
    summary: 'CPU per accepted statement: use case, middy chain, + SDK (PoW and I/O excluded)',
    load: () => import('./handler-cpu'),
  },
  pow: {
    summary: 'ALTCHA verification at production difficulty; client solve times',
    load: () => import('./pow'),
  },
  crypto: {
    summary: 'EnvelopeSealer.seal and DedupHasher.hash per statement',
    load: () => import('./crypto'),
  },
  kms: {
    summary: 'KMS GenerateDataKey calls per 1,000 submissions (real KmsKeyProvider, mocked KMS, fake clock)',
    load: () => import('./kms'),
  },
  dynamodb: {
    summary: 'DynamoDB write/read units per accepted, duplicate and retried statement (DynamoDB Local)',
    load: () => import('./dynamodb'),
  },
  'duplicate-latency': {
    summary: 'Accepted vs duplicate latency side by side (use case on DynamoDB Local, padded and not; HTTP)',
    load: () => import('./duplicate-latency'),
  },
  http: {
    summary: 'Local HTTP intake through the npm start entry, driven by autocannon',
    load: () => import('./http'),
  },
  export: {
    summary:
      'Export of 1,000,000 statements (real pipeline, generated source): time, peak RSS, Decrypt calls; DynamoDB Local read rate',
    load: () => import('./export'),
  },
  bundle: {
    summary: 'Handler bundle sizes (esbuild) and import times in a fresh Node 24',
    load: () => import('./bundle'),
  },
};
