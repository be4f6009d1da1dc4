import { randomBytes } from 'node:crypto';
import {
  AltchaChallengeService,
  altchaSecretsFrom,
  CHALLENGE_DIFFICULTY,
  type ChallengeDifficulty,
} from '@ocs/functions/adapters/altcha-challenge.adapter';
import type { Clock } from '@ocs/shared/ports';
import { solve } from '../../test/support/altcha';
import type { Figure } from '../lib/figures';
import { type BenchContext, breathe, cpuMicros, sampleCalls, timeLoop } from '../lib/measure';
import { max, mean, median, min, percentile, round } from '../lib/stats';

/**
 * The proof-of-work check per statement at the PRODUCTION difficulty (target <= 2 ms,
 * docs/benchmarks.md), on its own: the real AltchaChallengeService (payload decoding, schema, expiry,
 * altcha-lib's verifySolution). The challenges are solved first, as the widget does (the mean
 * solve time is the citizen's wait on one core); verify is stateless, so each solved payload is
 * verified many times.
 */

const TARGET_MS = 2;
const systemClock: Clock = { now: () => new Date() };
type Challenge = Parameters<typeof solve>[0];

interface Solved {
  readonly payload: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly counter: number;
}

async function solveSome(
  service: AltchaChallengeService,
  count: number,
  budgetMs: number,
  minimum: number,
): Promise<Solved[]> {
  const solved: Solved[] = [];
  const started = performance.now();
  while (solved.length < count && (solved.length < minimum || performance.now() - started < budgetMs)) {
    const challenge = (await service.create()) as Challenge & { parameters: { counter?: number } };
    const w0 = performance.now();
    const c0 = cpuMicros();
    const payload = await solve(challenge);
    const cpuMs = (cpuMicros() - c0) / 1000;
    const wallMs = performance.now() - w0;
    const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      solution: { counter: number };
    };
    solved.push({ payload, wallMs, cpuMs, counter: decoded.solution.counter });
  }
  return solved;
}

const difficulty = (d: ChallengeDifficulty) =>
  `${d.algorithm}, cost ${d.cost}, counter ${d.counterMin}-${d.counterMax}`;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const secrets = altchaSecretsFrom(randomBytes(32));
  const production = new AltchaChallengeService(secrets, CHALLENGE_DIFFICULTY.production, systemClock);
  const low = new AltchaChallengeService(secrets, CHALLENGE_DIFFICULTY.low, systemClock);

  // Challenges expire after 10 minutes: solving stops after 2.5 (with at least 5 solved), so
  // every payload is verified well before it expires.
  const wanted = ctx.scale(20, 3);
  ctx.log(`solving up to ${wanted} production challenges (${difficulty(CHALLENGE_DIFFICULTY.production)})`);
  const solved = await solveSome(production, wanted, 150_000, Math.min(5, wanted));
  const solveWall = solved.map((s) => s.wallMs);
  ctx.log(`solved ${solved.length}: mean ${(mean(solveWall) / 1000).toFixed(2)} s per challenge`);

  const lowSolved = await solveSome(low, ctx.scale(200, 30), 60_000, 10);

  const payloads = solved.map((s) => s.payload);
  const check = async (service: AltchaChallengeService, payload: string) => {
    const result = await service.verify(payload);
    if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
  };
  const perPayload = ctx.scale(250, 50);
  const total = payloads.length * perPayload;
  const verifyNth = (i: number) => check(production, payloads[i % payloads.length] as string);

  await timeLoop(ctx.scale(2_000, 200), verifyNth);
  const rounds: number[] = [];
  for (let r = 0; r < ctx.scale(3, 1); r++) {
    await breathe();
    const timing = await timeLoop(total, verifyNth);
    rounds.push(round(timing.cpuUs / timing.count / 1000, 4));
  }
  await breathe();
  const samples = await sampleCalls(total, verifyNth);
  const cpuMs = samples.cpuUs.map((us) => us / 1000);
  const meanMs = median(rounds);
  const p50 = percentile(cpuMs, 50);
  const p99 = percentile(cpuMs, 99);
  const wallP99 = percentile(samples.wallMs, 99);

  const lowPayloads = lowSolved.map((s) => s.payload);
  const lowTiming = await timeLoop(lowPayloads.length * 20, (i) =>
    check(low, lowPayloads[i % lowPayloads.length] as string),
  );
  const lowVerifyMs = lowTiming.cpuUs / lowTiming.count / 1000;
  const counters = solved.map((s) => s.counter);

  return [
    {
      key: 'verify.production.mean',
      metric: 'PoW verification, production (mean)',
      value: round(meanMs, 4),
      unit: 'ms',
      target: { op: '<=', value: TARGET_MS },
      note: `AltchaChallengeService.verify (${difficulty(CHALLENGE_DIFFICULTY.production)}): CPU, median of ${rounds.length} round(s) x ${total.toLocaleString('en-GB')} verifications of ${payloads.length} solved payloads (range ${min(rounds)}-${max(rounds)} ms); low difficulty verifies in ${lowVerifyMs.toFixed(4)} ms (same two HMACs)`,
      details: { rounds, verificationsPerRound: total, payloads: payloads.length, lowVerifyMs },
    },
    {
      key: 'verify.production.p99',
      metric: 'PoW verification, production (p99)',
      value: round(p99, 4),
      unit: 'ms',
      target: { op: '<=', value: TARGET_MS },
      note: `per-call CPU over ${total.toLocaleString('en-GB')} calls: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms; wall p99 ${wallP99.toFixed(3)} ms`,
      details: {
        cpuP50Ms: p50,
        cpuP99Ms: p99,
        wallP50Ms: percentile(samples.wallMs, 50),
        wallP99Ms: wallP99,
      },
    },
    {
      key: 'solve.production.mean',
      metric: 'Client solve, production (mean, 1 core)',
      value: round(mean(solveWall) / 1000, 3),
      unit: 's',
      note: `altcha-lib solveChallenge as the widget runs it, ${solved.length} challenges one after the other: wall ${(min(solveWall) / 1000).toFixed(2)}-${(max(solveWall) / 1000).toFixed(2)} s, CPU mean ${(mean(solved.map((s) => s.cpuMs)) / 1000).toFixed(2)} s; counters ${min(counters)}-${max(counters)} (the widget splits the search over workers: less wait on several cores)`,
      details: {
        wallMs: solveWall.map((v) => round(v, 1)),
        cpuMs: solved.map((s) => round(s.cpuMs, 1)),
        counters,
      },
    },
    {
      key: 'solve.low.mean',
      metric: 'Client solve, low difficulty (mean)',
      value: round(mean(lowSolved.map((s) => s.wallMs)), 3),
      unit: 'ms',
      note: `OCS_CHALLENGE_COST=low (${difficulty(CHALLENGE_DIFFICULTY.low)}), ${lowSolved.length} challenges; p99 ${percentile(
        lowSolved.map((s) => s.wallMs),
        99,
      ).toFixed(2)} ms`,
    },
  ];
}
