import { DynamoChallengeReplayStore } from '@ocs/functions/adapters/dynamo-challenge-replay.adapter';
import { DynamoDataKeyStore } from '@ocs/functions/adapters/dynamo-data-key-store.adapter';
import { DynamoStatementStore } from '@ocs/functions/adapters/dynamo-statement-store.adapter';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { makeInitiativeStore, tableName } from '@ocs/functions/wiring';
import type { Clock } from '@ocs/shared/ports';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { cannedDynamoClient } from '../lib/canned-dynamo';
import { distinctCitizens, fakeAltcha } from '../lib/citizens';
import type { Figure } from '../lib/figures';
import {
  MemoryDataKeyStore,
  MemoryInitiativeStore,
  MemoryKeyProvider,
  MemoryReplayStore,
  MemoryStatementStore,
  NonceChallengeService,
} from '../lib/in-memory';
import { type BenchContext, breathe, sampleCalls, timeLoop } from '../lib/measure';
import { max, median, min, percentile, round } from '../lib/stats';
import {
  benchConfig,
  buildSubmitStatement,
  lambdaContext,
  muteStdout,
  postEvent,
  submitHandler,
} from '../lib/submit-wiring';

/**
 * Target 1 of issue #2: handler CPU per accepted statement, with I/O and the proof-of-work
 * verification excluded (<= 0.5 ms). The REAL `SubmitStatement` (shared rulebook validation,
 * identity, DedupHasher, two EnvelopeSealers, result mapping) over in-memory ports; then the same
 * behind the real middy chain; then, for information, with the real DynamoDB adapters and the AWS
 * SDK answering in-process (serialisation and signing included, no network).
 */

const TARGET_US = 500;
const systemClock: Clock = { now: () => new Date() };

type Call = (i: number) => Promise<void>;

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** A fresh system (empty stores, cold data keys) and the call that submits statement `i`. */
  make(): Call;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.scale(20_000, 2_000);
  const rounds = ctx.scale(5, 1);
  const warmup = ctx.scale(5_000, 500);
  const perCall = ctx.scale(5_000, 1_000);

  ctx.log(`generating ${count} distinct citizens (DE Part A / PL Part B, alternating)`);
  const citizens = distinctCitizens(count).map((c) => ({ ...c, altcha: fakeAltcha() }));
  const events: APIGatewayProxyEventV2[] = citizens.map((c) => postEvent(JSON.stringify(c)));
  const initiative = demoInitiative(benchConfig().initiativeId, new Date());
  // Data-key rotations per variant (one MemoryKeyProvider per fresh system).
  const keyProviders = new Map<string, MemoryKeyProvider[]>();
  const newKeyProvider = (variant: string) => {
    const keyProvider = new MemoryKeyProvider();
    keyProviders.set(variant, [...(keyProviders.get(variant) ?? []), keyProvider]);
    return keyProvider;
  };

  const memoryUseCase = (variant: string) => {
    const keyProvider = newKeyProvider(variant);
    return buildSubmitStatement({
      initiatives: new MemoryInitiativeStore(initiative),
      challenges: new NonceChallengeService(systemClock),
      replay: new MemoryReplayStore(),
      statements: new MemoryStatementStore(),
      dataKeys: new MemoryDataKeyStore(),
      keyProvider,
      clock: systemClock,
    });
  };

  const httpCall =
    (handler: ReturnType<typeof submitHandler>): Call =>
    async (i) => {
      const event = events[i % events.length] as APIGatewayProxyEventV2;
      const res = (await handler(event, lambdaContext())) as { statusCode: number; body: string };
      if (res.statusCode !== 201) throw new Error(`expected 201, got ${res.statusCode}: ${res.body}`);
    };

  const variants: Variant[] = [
    {
      key: 'useCase',
      label: 'use case',
      count,
      make: () => {
        const useCase = memoryUseCase('useCase');
        return async (i) => {
          const result = await useCase.execute(citizens[i % citizens.length]);
          if (result.outcome !== 'created') throw new Error(`expected created, got ${result.outcome}`);
        };
      },
    },
    {
      key: 'middyChain',
      label: 'full middy chain',
      count,
      make: () => httpCall(submitHandler(memoryUseCase('middyChain'))),
    },
    {
      key: 'sdkAdapters',
      label: 'chain + DynamoDB adapters + SDK',
      count: ctx.scale(4_000, 500),
      make: () => {
        const db = cannedDynamoClient(initiative);
        const config = benchConfig();
        const table = tableName(config);
        const keyProvider = newKeyProvider('sdkAdapters');
        const useCase = buildSubmitStatement(
          {
            initiatives: makeInitiativeStore(config, db, systemClock),
            challenges: new NonceChallengeService(systemClock),
            replay: new DynamoChallengeReplayStore(db, table),
            statements: new DynamoStatementStore(db, table, { shards: config.counterShards }),
            dataKeys: new DynamoDataKeyStore(db, table),
            keyProvider,
            clock: systemClock,
          },
          config,
        );
        return httpCall(submitHandler(useCase));
      },
    },
  ];

  // Variants alternate within each round, so a change in the machine's load hits all of them.
  interface Measured {
    readonly roundMeans: number[];
    readonly wallMeans: number[];
    samples: { cpuUs: number[]; wallMs: number[] };
  }
  const measured = new Map<string, Measured>(
    variants.map((v) => [v.key, { roundMeans: [], wallMeans: [], samples: { cpuUs: [], wallMs: [] } }]),
  );
  const restore = muteStdout();
  let logLines = 0;
  try {
    for (const variant of variants) await timeLoop(Math.min(warmup, variant.count), variant.make());
    for (let r = 0; r < rounds; r++) {
      for (const variant of variants) {
        await breathe();
        const timing = await timeLoop(variant.count, variant.make());
        measured.get(variant.key)?.roundMeans.push(round(timing.cpuUs / timing.count, 2));
        measured.get(variant.key)?.wallMeans.push(round((timing.wallMs * 1000) / timing.count, 2));
      }
      ctx.log(`round ${r + 1}/${rounds} done`);
    }
    for (const variant of variants) {
      await breathe();
      const samples = await sampleCalls(Math.min(perCall, variant.count), variant.make());
      const m = measured.get(variant.key);
      if (m) m.samples = samples;
    }
  } finally {
    logLines = restore().lines;
  }

  const figures: Figure[] = [];
  for (const variant of variants) {
    const m = measured.get(variant.key);
    if (!m) continue;
    const { roundMeans, wallMeans, samples } = m;
    const cpuMean = median(roundMeans);
    const rotations = (keyProviders.get(variant.key) ?? []).reduce((n, k) => n + k.generateCalls, 0);
    const p50 = percentile(samples.cpuUs, 50);
    const p99 = percentile(samples.cpuUs, 99);
    const wallP99 = percentile(samples.wallMs, 99);
    ctx.log(
      `${variant.label}: ${cpuMean.toFixed(1)} µs CPU/statement (rounds ${roundMeans.join(', ')}), p99 ${p99} µs`,
    );
    const sdkNote =
      variant.key === 'sdkAdapters'
        ? '; informational: real adapters + SDK serialisation/SigV4/parsing over canned in-process answers'
        : '';
    const scope =
      variant.key === 'useCase'
        ? 'SubmitStatement over in-memory ports, verify() returns ok at once'
        : `apiHandler + jsonBody + access log (one JSON line per request formatted, not written: ${logLines.toLocaleString('en-GB')} in all)`;
    figures.push(
      {
        key: `${variant.key}.cpuMean`,
        metric: `Handler CPU/accepted: ${variant.label}`,
        value: round(cpuMean, 1),
        unit: 'µs',
        ...(variant.key === 'sdkAdapters' ? {} : { target: { op: '<=', value: TARGET_US } }),
        note: `${scope}; median of ${rounds} round(s) x ${variant.count.toLocaleString('en-GB')} (range ${min(roundMeans)}-${max(roundMeans)} µs); wall ${median(wallMeans)} µs/stmt; ${rotations} data-key rotations${sdkNote}`,
        details: { rounds: roundMeans, wallUsPerStatement: wallMeans, count: variant.count, rotations },
      },
      {
        key: `${variant.key}.cpuP99`,
        metric: `Handler CPU/accepted p99: ${variant.label}`,
        value: p99,
        unit: 'µs',
        ...(variant.key === 'sdkAdapters' ? {} : { target: { op: '<=', value: TARGET_US } }),
        note: `per-call process.cpuUsage over ${samples.cpuUs.length.toLocaleString('en-GB')} calls: p50 ${p50} µs, p99 ${p99} µs (GC pauses included); wall p99 ${wallP99.toFixed(2)} ms (includes preemption by other load)`,
        details: {
          cpuP50Us: p50,
          cpuP90Us: percentile(samples.cpuUs, 90),
          cpuP99Us: p99,
          cpuMaxUs: max(samples.cpuUs),
          wallP50Ms: round(percentile(samples.wallMs, 50), 4),
          wallP99Ms: round(wallP99, 4),
        },
      },
    );
  }
  return figures;
}
