import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { goLive } from '../../test/support/admin';
import { fetchAndSolve } from '../../test/support/altcha';
import { progress } from '../../test/support/api';
import { startLocalServer } from '../../test/support/local-server';
import { distinctCitizens } from '../lib/citizens';
import type { Figure } from '../lib/figures';
import { type BenchContext, cpuMicros, formatLoad, loadAverage } from '../lib/measure';
import { alive, processTreeCpu } from '../lib/proc';
import { percentile, round } from '../lib/stats';

/**
 * Local HTTP intake through `npm start` (target >= 200 accepted/s on 2 cores, 0 errors, p50/p99;
 * docs/benchmarks.md). The local system is started with the entry `npm start` runs
 * (functions/src/local/main.ts, via test/support/local-server.ts): DynamoDB Local, the local key
 * provider, the HTTP server routing to the Lambda handlers. OCS_CHALLENGE_COST=low only makes
 * the CLIENT's proof of work cheap (the challenges are solved before the run): the server's
 * check is the same two HMACs at either difficulty (see the pow benchmark).
 */

const TARGET_PER_SECOND = 200;
const CONNECTIONS = 32;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface LoadRun {
  readonly statuses: Map<number, number>;
  readonly latenciesMs: number[];
  readonly seconds: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** POSTs every body once (each request a different statement) with `connections` connections. */
function fire(baseUrl: string, bodies: readonly string[], connections: number): Promise<LoadRun> {
  let i = 0;
  const statuses = new Map<number, number>();
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        amount: bodies.length,
        timeout: 60,
        requests: [
          {
            method: 'POST',
            path: '/api/statements',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: bodies[i++ % bodies.length] }),
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          statuses,
          latenciesMs,
          seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      latenciesMs.push(responseTime);
    });
  });
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), 'ocs-bench-http-'));
  ctx.defer(() => rmSync(root, { recursive: true, force: true }));
  const dataDir = join(root, 'data');
  ctx.log('starting the local system (functions/src/local/main.ts, as npm start does)');
  const server = await startLocalServer({
    dataDir,
    logFile: join(root, 'server.log'),
    env: { OCS_CHALLENGE_COST: 'low', OCS_LOCAL_RATE_LIMIT: '1000000' },
  });
  const pidFile = join(dataDir, 'dynamodb', 'dynamodb-local.pid');
  const javaPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  let orphan = 'none';
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop('SIGTERM');
    // No orphaned Java: the server stops DynamoDB Local itself; check, and end it if it did not.
    if (javaPid && alive(javaPid)) {
      await new Promise((r) => setTimeout(r, 5_000));
      if (alive(javaPid)) {
        process.kill(javaPid, 'SIGKILL');
        orphan = `DynamoDB Local (pid ${javaPid}) outlived the server and was killed`;
      }
    }
  };
  ctx.defer(stop);
  // Live, as a collecting initiative is (a test statement's transaction also checks the mode).
  await goLive(server.baseUrl, dataDir);

  const prepare = async (count: number) => {
    const started = performance.now();
    const citizens = distinctCitizens(count);
    const payloads = await mapLimit(citizens, 8, () => fetchAndSolve(server.baseUrl));
    const bodies = citizens.map((c, i) => JSON.stringify({ ...c, altcha: payloads[i] }));
    ctx.log(
      `${count} challenges fetched and solved, statements built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return bodies;
  };

  // Warm-up: JIT, connection pools, the first data keys; also estimates the rate.
  const warmBodies = await prepare(ctx.scale(400, 100));
  const warm = await fire(server.baseUrl, warmBodies, CONNECTIONS);
  const warmAccepted = warm.statuses.get(201) ?? 0;
  const warmRate = warmAccepted / warm.seconds;
  ctx.log(`warm-up: ${warmAccepted}/${warmBodies.length} accepted, ${warmRate.toFixed(0)}/s`);

  // Enough requests for 30-40 s of load at the warm-up's rate.
  const requested = Number(process.env.BENCH_HTTP_REQUESTS ?? 0);
  const count =
    requested > 0 ? requested : ctx.quick ? 300 : Math.min(8_000, Math.max(2_000, Math.round(warmRate * 35)));
  const bodies = await prepare(count);

  const load0 = loadAverage();
  const tree0 = processTreeCpu(server.process.pid ?? -1);
  const client0 = cpuMicros();
  ctx.log(`firing ${count} POST /api/statements with ${CONNECTIONS} connections`);
  const measured = await fire(server.baseUrl, bodies, CONNECTIONS);
  const clientMs = (cpuMicros() - client0) / 1000;
  const tree1 = processTreeCpu(server.process.pid ?? -1);
  const load1 = loadAverage();

  const accepted = measured.statuses.get(201) ?? 0;
  const other = [...measured.statuses].filter(([status]) => status !== 201);
  const non201 = other.reduce((n, [, c]) => n + c, 0) + measured.errors + measured.timeouts;
  const rate = accepted / measured.seconds;
  const counted = (await progress(server.baseUrl)).total;
  const expected = warmAccepted + accepted;
  await stop();

  const cpu = (name: string) => ((tree1.get(name) ?? 0) - (tree0.get(name) ?? 0)) / Math.max(1, accepted);
  const clientPer = clientMs / Math.max(1, accepted);
  const cores = availableParallelism();
  // What the CPU cost per statement allows on these cores if nothing else ran (a ceiling).
  const ceiling = (ms: number) => Math.round((cores * 1000) / ms);
  const serverSplit = tree1.size
    ? `CPU per accepted: server node ${cpu('node').toFixed(2)} ms, DynamoDB Local java ${cpu('java').toFixed(2)} ms, load generator ${clientPer.toFixed(2)} ms, so a CPU-bound ceiling of ~${ceiling(cpu('node') + cpu('java') + clientPer)}/s on ${cores} idle cores (~${ceiling(cpu('node') + cpu('java'))}/s with the load generator elsewhere)`
    : 'CPU split not available on this platform';
  const p50 = percentile(measured.latenciesMs, 50);
  const p99 = percentile(measured.latenciesMs, 99);
  const statusList = [...measured.statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, c]) => `${s} x ${c}`)
    .join(', ');

  return [
    {
      key: 'acceptedPerSecond',
      metric: 'Local HTTP intake (npm start entry)',
      value: round(rate, 1),
      unit: 'per s',
      target: { op: '>=', value: TARGET_PER_SECOND },
      note: `${accepted}/${count} accepted in ${measured.seconds.toFixed(1)} s, autocannon ${CONNECTIONS} connections, each request a distinct statement (DE/PL) with a challenge solved beforehand; ${cores} cores shared with the load generator and the machine's other load (load ${formatLoad(load0)} before, ${formatLoad(load1)} after); ${serverSplit}`,
      details: {
        accepted,
        requests: count,
        seconds: measured.seconds,
        warmRate: round(warmRate, 1),
        cpuMsPerAccepted: {
          node: round(cpu('node'), 2),
          java: round(cpu('java'), 2),
          client: round(clientPer, 2),
        },
      },
    },
    {
      key: 'non201',
      metric: 'Local HTTP: responses other than 201',
      value: non201,
      unit: 'count',
      target: { op: '<=', value: 0 },
      note: `statuses ${statusList}; socket errors ${measured.errors}, timeouts ${measured.timeouts}; warm-up ${warmAccepted}/${warmBodies.length} accepted`,
    },
    {
      key: 'latencyP50',
      metric: 'Local HTTP latency p50',
      value: round(p50, 2),
      unit: 'ms',
      note: `per response, autocannon, ${CONNECTIONS} connections (so latency ~ connections / rate)`,
    },
    {
      key: 'latencyP99',
      metric: 'Local HTTP latency p99',
      value: round(p99, 2),
      unit: 'ms',
      note: `max ${round(Math.max(...measured.latenciesMs), 1)} ms`,
    },
    {
      key: 'countedMinusAccepted',
      metric: 'Progress total minus accepted',
      value: Math.abs(counted - expected),
      unit: 'count',
      target: { op: '<=', value: 0 },
      note: `GET /api/progress total ${counted} vs ${expected} accepted (warm-up ${warmAccepted} + run ${accepted}); server stopped, orphaned Java: ${orphan}`,
    },
    {
      key: 'cores',
      metric: 'Cores (os.availableParallelism)',
      value: availableParallelism(),
      unit: 'cores',
      note: 'the target assumes 2 cores; server, DynamoDB Local and load generator share them',
    },
  ];
}
