import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoChallengeReplayStore } from '@ocs/functions/adapters/dynamo-challenge-replay.adapter';
import { DynamoDataKeyStore } from '@ocs/functions/adapters/dynamo-data-key-store.adapter';
import { DynamoStatementStore } from '@ocs/functions/adapters/dynamo-statement-store.adapter';
import {
  buildSubmitStatement,
  createSubmitStatementHandler,
  type SubmitStatementPorts,
} from '@ocs/functions/handlers/submit-statement';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { makeInitiativeStore, newId, systemClock, tableName } from '@ocs/functions/wiring';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  FakeInitiativeStore,
  FakeKeyProvider,
  InMemoryDataKeyStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
} from '../../test/support/fakes';
import { apiEvent, lambdaContext } from '../../test/support/lambda';
import { cannedDynamoClient } from '../lib/canned-dynamo';
import { distinctCitizens, fakeAltcha, nonceChallenges } from '../lib/citizens';
import { benchConfig } from '../lib/config';
import type { Figure } from '../lib/figures';
import { type BenchContext, breathe, muteStdout, sampleCalls, timeLoop } from '../lib/measure';
import { max, median, min, percentile, round } from '../lib/stats';

/**
 * Handler CPU per accepted statement, with I/O and the proof-of-work verification excluded
 * (target <= 0.5 ms, docs/benchmarks.md). The REAL `SubmitStatement` as the submit handler
 * module builds it (`buildSubmitStatement`: shared rulebook validation, identity, DedupHasher,
 * two EnvelopeSealers, result mapping) over the in-memory fakes of the tests; then the REAL
 * handler (`createSubmitStatementHandler`: the middy chain) over the same; then, for
 * information, with the real DynamoDB adapters and the AWS SDK answering in-process
 * (serialisation and signing included, no network).
 */

const TARGET_US = 500;

type Call = (i: number) => Promise<void>;

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** A fresh system (empty stores, cold data keys) and the call that submits statement `i`. */
  make(): Promise<Call>;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.scale(20_000, 2_000);
  const rounds = ctx.scale(5, 1);
  const warmup = ctx.scale(5_000, 500);
  const perCall = ctx.scale(5_000, 1_000);

  ctx.log(`generating ${count} distinct citizens (DE Part A / PL Part B, alternating)`);
  const citizens = distinctCitizens(count).map((c) => ({ ...c, altcha: fakeAltcha() }));
  const events: APIGatewayProxyEventV2[] = citizens.map((c) =>
    apiEvent('post-statement', { body: JSON.stringify(c) }),
  );
  const config = benchConfig();
  const initiative = demoInitiative(config.initiativeId, new Date());
  // Data-key rotations per variant (one key provider per fresh system).
  const keyProviders = new Map<string, FakeKeyProvider[]>();
  const newKeyProvider = (variant: string) => {
    const keyProvider = new FakeKeyProvider();
    keyProviders.set(variant, [...(keyProviders.get(variant) ?? []), keyProvider]);
    return keyProvider;
  };
  const secrets = async () => ({ dedupSecret: randomBytes(32), challenges: nonceChallenges(systemClock) });

  /** A fresh system over the in-memory fakes. */
  const memoryPorts = (variant: string): SubmitStatementPorts => ({
    initiativeId: config.initiativeId,
    initiatives: new FakeInitiativeStore(initiative, { mode: 'live' }),
    replay: new InMemoryReplayStore(),
    statements: new InMemoryStatementStore(),
    dataKeys: new InMemoryDataKeyStore(),
    keyProvider: newKeyProvider(variant),
    clock: systemClock,
    newId,
    secrets,
  });

  const httpCall =
    (handler: ReturnType<typeof createSubmitStatementHandler>): Call =>
    async (i) => {
      const event = events[i % events.length] as APIGatewayProxyEventV2;
      const res = (await handler(event, lambdaContext(randomUUID()))) as { statusCode: number; body: string };
      if (res.statusCode !== 201) throw new Error(`expected 201, got ${res.statusCode}: ${res.body}`);
    };

  const variants: Variant[] = [
    {
      key: 'useCase',
      label: 'use case',
      count,
      make: async () => {
        const useCase = await buildSubmitStatement(memoryPorts('useCase'));
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
      make: async () => httpCall(createSubmitStatementHandler(memoryPorts('middyChain'))),
    },
    {
      key: 'sdkAdapters',
      label: 'chain + DynamoDB adapters + SDK',
      count: ctx.scale(4_000, 500),
      make: async () => {
        const db = cannedDynamoClient(initiative);
        const table = tableName(config);
        return httpCall(
          createSubmitStatementHandler({
            ...memoryPorts('sdkAdapters'),
            initiatives: makeInitiativeStore(config, db, systemClock),
            replay: new DynamoChallengeReplayStore(db, table),
            statements: new DynamoStatementStore(db, table, { shards: config.counterShards }),
            dataKeys: new DynamoDataKeyStore(db, table),
          }),
        );
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
    for (const variant of variants) await timeLoop(Math.min(warmup, variant.count), await variant.make());
    for (let r = 0; r < rounds; r++) {
      for (const variant of variants) {
        await breathe();
        const timing = await timeLoop(variant.count, await variant.make());
        measured.get(variant.key)?.roundMeans.push(round(timing.cpuUs / timing.count, 2));
        measured.get(variant.key)?.wallMeans.push(round((timing.wallMs * 1000) / timing.count, 2));
      }
      ctx.log(`round ${r + 1}/${rounds} done`);
    }
    for (const variant of variants) {
      await breathe();
      const samples = await sampleCalls(Math.min(perCall, variant.count), await variant.make());
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
        ? 'SubmitStatement over the in-memory fakes, verify() returns ok at once'
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
