import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyPadding } from '@ocs/functions/use-cases/latency-padding';
import type { SubmitResult, SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import { goLive } from '../../test/support/admin';
import { fetchAndSolve } from '../../test/support/altcha';
import { postStatement } from '../../test/support/api';
import type { TestStatement } from '../../test/support/citizens';
import { startLocalServer } from '../../test/support/local-server';
import { countStatements } from '../../test/support/table';
import { distinctCitizens, fakeAltcha } from '../lib/citizens';
import { dynamoLocalSubmit } from '../lib/dynamo-local-submit';
import type { Figure } from '../lib/figures';
import { type BenchContext, formatLoad, loadAverage } from '../lib/measure';
import { mean, percentile, round } from '../lib/stats';

/**
 * Accepted and duplicate statements side by side. A duplicate (a person who already supports the
 * initiative, new submission) is answered like an acceptance, and its write step is held as long
 * as an accepted transaction typically takes (LatencyPadding); these figures show how close the
 * two latency distributions are. Two layers:
 *  1. the real SubmitStatement over the real DynamoDB adapters on DynamoDB Local (in-memory key
 *     provider and nonce challenges, as in the dynamodb benchmark), timed per call, with the
 *     default padding and with padding switched off (the gap the padding closes);
 *  2. POST /api/statements over HTTP against the local system (npm start's entry), one request
 *     at a time, timed by the client.
 * Accepted and duplicate submissions alternate, so both meet the same load. The Kolmogorov-
 * Smirnov distance (0: same distribution, 1: disjoint) summarises how well one sample of
 * latencies could tell them apart. Nothing is asserted.
 */

type Samples = { accepted: number[]; duplicate: number[]; retry: number[] };

/** Largest gap between the two empirical distribution functions (two-sample KS statistic). */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] ?? Number.POSITIVE_INFINITY, y[j] ?? Number.POSITIVE_INFINITY);
    while (i < x.length && (x[i] ?? 0) <= v) i++;
    while (j < y.length && (y[j] ?? 0) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

const spread = (ms: readonly number[]) =>
  `p50 ${percentile(ms, 50).toFixed(1)}, p90 ${percentile(ms, 90).toFixed(1)}, p99 ${percentile(ms, 99).toFixed(1)}, mean ${mean(ms).toFixed(1)} ms (n=${ms.length})`;

function latencyFigure(key: string, metric: string, ms: readonly number[], note: string): Figure {
  return {
    key,
    metric,
    value: round(percentile(ms, 50), 2),
    unit: 'ms',
    note: `${spread(ms)}; ${note}`,
    details: {
      p50: round(percentile(ms, 50), 2),
      p90: round(percentile(ms, 90), 2),
      p99: round(percentile(ms, 99), 2),
      mean: round(mean(ms), 2),
      n: ms.length,
    },
  };
}

/** A duplicate of `citizen`: the same person, a new form fill. */
const again = (citizen: TestStatement): TestStatement => ({ ...citizen, submissionId: crypto.randomUUID() });

async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await call();
  return { ms: performance.now() - started, value };
}

/** Layer 1: the use case, padded or not, over DynamoDB Local. */
async function useCaseSamples(
  ctx: BenchContext,
  build: (padding: LatencyPadding) => Promise<SubmitStatement>,
  padding: LatencyPadding,
  count: number,
): Promise<Samples> {
  const useCase = await build(padding);
  const expect = (result: SubmitResult, outcome: SubmitResult['outcome'], what: string) => {
    if (result.outcome !== outcome) throw new Error(`${what}: ${result.outcome}, expected ${outcome}`);
  };
  // Warm-up: JIT, connections, data keys, and the padding's window of accepted durations.
  for (const c of distinctCitizens(ctx.scale(40, 10))) {
    expect(await useCase.execute({ ...c, altcha: fakeAltcha() }), 'created', 'warm-up');
  }
  const samples: Samples = { accepted: [], duplicate: [], retry: [] };
  for (const citizen of distinctCitizens(count)) {
    const accepted = await timed(() => useCase.execute({ ...citizen, altcha: fakeAltcha() }));
    expect(accepted.value, 'created', 'accepted');
    const duplicate = { ...again(citizen), altcha: fakeAltcha() };
    const answered = await timed(() => useCase.execute(duplicate));
    expect(answered.value, 'created', 'duplicate');
    const retry = await timed(() => useCase.execute(duplicate));
    expect(retry.value, 'replayed', 'retry of the duplicate');
    samples.accepted.push(accepted.ms);
    samples.duplicate.push(answered.ms);
    samples.retry.push(retry.ms);
  }
  return samples;
}

/** Layer 2: the local system over HTTP, one request at a time. */
async function httpSamples(ctx: BenchContext, count: number): Promise<Samples> {
  const root = mkdtempSync(join(tmpdir(), 'ocs-bench-duplicate-http-'));
  ctx.defer(() => rmSync(root, { recursive: true, force: true }));
  ctx.log('starting the local system (functions/src/local/main.ts, as npm start does)');
  const server = await startLocalServer({
    dataDir: join(root, 'data'),
    logFile: join(root, 'server.log'),
    env: { OCS_CHALLENGE_COST: 'low', OCS_LOCAL_RATE_LIMIT: '1000000' },
  });
  ctx.defer(async () => {
    await server.stop('SIGTERM');
  });
  // Live, as a collecting initiative is (a test statement's transaction also checks the mode).
  await goLive(server.baseUrl, server.dataDir);
  const post = async (body: TestStatement, status: number, what: string) => {
    const res = await timed(() => postStatement(server.baseUrl, body));
    if (res.value.status !== status) throw new Error(`${what}: ${res.value.status}, expected ${status}`);
    return res.ms;
  };
  // Challenges are solved before each request's clock starts: the figures are the server's.
  const solved = async (c: TestStatement) => ({ ...c, altcha: await fetchAndSolve(server.baseUrl) });
  for (const c of distinctCitizens(ctx.scale(60, 15))) await post(await solved(c), 201, 'warm-up');
  const samples: Samples = { accepted: [], duplicate: [], retry: [] };
  for (const citizen of distinctCitizens(count)) {
    const first = await solved(citizen);
    const duplicate = await solved(again(citizen));
    samples.accepted.push(await post(first, 201, 'accepted'));
    samples.duplicate.push(await post(duplicate, 201, 'duplicate'));
    samples.retry.push(await post(duplicate, 200, 'retry of the duplicate'));
  }
  return samples;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const { db, table, build: buildWith } = await dynamoLocalSubmit(ctx, 'duplicate-latency');
  const build = (padding: LatencyPadding) => buildWith({ padding });

  const count = ctx.scale(300, 30);
  const load0 = loadAverage();
  const storedBefore = await countStatements(db, table);
  ctx.log(`use case: ${count} accepted, ${count} duplicates and ${count} retries, padded`);
  const padded = await useCaseSamples(ctx, build, new LatencyPadding(), count);
  ctx.log(`use case: the same without padding`);
  const bare = await useCaseSamples(ctx, build, new LatencyPadding({ sleep: async () => {} }), count);
  const stored = (await countStatements(db, table)) - storedBefore;
  const warmups = 2 * ctx.scale(40, 10);
  const storedNote = `${stored} statements stored for ${2 * count} accepted + ${warmups} warm-up (duplicates store none)`;

  const httpCount = ctx.scale(200, 20);
  ctx.log(`HTTP: ${httpCount} accepted, ${httpCount} duplicates and ${httpCount} retries`);
  const http = await httpSamples(ctx, httpCount);
  const load = `load ${formatLoad(load0)} -> ${formatLoad(loadAverage())}`;

  const side = (s: Samples) =>
    `accepted ${percentile(s.accepted, 50).toFixed(1)} vs duplicate ${percentile(s.duplicate, 50).toFixed(1)} ms (p50); p90 ${percentile(s.accepted, 90).toFixed(1)} vs ${percentile(s.duplicate, 90).toFixed(1)}; p99 ${percentile(s.accepted, 99).toFixed(1)} vs ${percentile(s.duplicate, 99).toFixed(1)}`;
  ctx.log(`use case, padded:    ${side(padded)}`);
  ctx.log(`use case, unpadded:  ${side(bare)}`);
  ctx.log(`HTTP (local system): ${side(http)}`);

  const layer1 = 'SubmitStatement over DynamoDB Local, accepted and duplicate alternating';
  const layer2 = 'POST /api/statements to the local system, one at a time, client-timed';
  return [
    latencyFigure(
      'usecase.accepted',
      'Use case: accepted statement',
      padded.accepted,
      `${layer1}; ${storedNote}`,
    ),
    latencyFigure(
      'usecase.duplicate',
      'Use case: duplicate, padded (default)',
      padded.duplicate,
      `after its put, the duplicate waits the typical transaction minus the typical put; ${load}`,
    ),
    {
      key: 'usecase.ks',
      metric: 'Use case: accepted vs padded duplicate, KS distance',
      value: round(ksDistance(padded.accepted, padded.duplicate), 3),
      unit: 'count',
      note: `0 = same distribution, 1 = disjoint; without padding ${round(ksDistance(bare.accepted, bare.duplicate), 3)}`,
    },
    latencyFigure(
      'usecase.acceptedUnpadded',
      'Use case: accepted (run without padding)',
      bare.accepted,
      layer1,
    ),
    latencyFigure(
      'usecase.duplicateUnpadded',
      'Use case: duplicate, NOT padded',
      bare.duplicate,
      'what the padding hides: one conditional put instead of a transaction',
    ),
    latencyFigure(
      'usecase.retry',
      'Use case: retry of a duplicate (200)',
      padded.retry,
      'never padded: a retry of a stored statement costs the same reads',
    ),
    latencyFigure('http.accepted', 'HTTP: accepted statement', http.accepted, `${layer2}; ${load}`),
    latencyFigure('http.duplicate', 'HTTP: duplicate (answered 201)', http.duplicate, layer2),
    {
      key: 'http.ks',
      metric: 'HTTP: accepted vs duplicate, KS distance',
      value: round(ksDistance(http.accepted, http.duplicate), 3),
      unit: 'count',
      note: '0 = same distribution, 1 = disjoint',
    },
    latencyFigure('http.retry', 'HTTP: retry of a duplicate (200)', http.retry, layer2),
  ];
}
