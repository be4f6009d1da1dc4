import { randomBytes, randomUUID } from 'node:crypto';
import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { KmsKeyProvider } from '@ocs/functions/adapters/kms-key-provider.adapter';
import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { DEFAULT_DATA_KEY_POLICY, EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import { emailAad, encodeJson, statementAad } from '@ocs/functions/use-cases/personal-data';
import { encryptionContext } from '@ocs/functions/wiring';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../../test/support/clock';
import { InMemoryDataKeyStore } from '../../test/support/fakes';
import { BENCH_INITIATIVE_ID, benchConfig } from '../lib/config';
import type { Figure } from '../lib/figures';
import type { BenchContext } from '../lib/measure';
import { round } from '../lib/stats';

/**
 * KMS calls per 1,000 submissions (target <= 2, docs/benchmarks.md). The real EnvelopeSealer over the
 * real KmsKeyProvider; KMSClient is mocked (aws-sdk-client-mock) and counts GenerateDataKey. A
 * fake clock moves by 1/rate per submission, so the 5-minute rule runs as it would in real time
 * (a 100,000-submission run at 500/s is 200 simulated seconds).
 */

const TARGET = 2;
const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const START = Date.parse('2026-11-28T10:00:00Z');

interface Scenario {
  readonly submissions: number;
  readonly perSecond: number;
  /** Lambda execution environments the submissions are spread over (each has its own cache). */
  readonly environments: number;
  /** Share of submissions with an e-mail (sealed under its own purpose, so its own data key). */
  readonly emailShare: number;
  /** All submissions at one instant on cold environments (single flight). */
  readonly burst?: boolean;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const kms = mockClient(KMSClient);
  kms.on(GenerateDataKeyCommand).callsFake(() => ({
    KeyId: KEY_ARN,
    Plaintext: new Uint8Array(randomBytes(32)),
    CiphertextBlob: new Uint8Array(randomBytes(184)),
  }));
  ctx.defer(() => kms.restore());
  const client = new KMSClient({ region: 'eu-central-1' });
  const config = benchConfig();
  const plaintext = encodeJson({
    firstNames: 'Zofia Anna',
    familyNames: 'Kowalska',
    documentType: 'personalNumber',
    documentNumber: '44051401359',
  });
  const emailPlaintext = encodeJson({ email: 'zofia.kowalska@example.org' });
  const statementExpiry = Math.floor(START / 1000) + 640 * 86_400;
  const emailExpiry = Math.floor(START / 1000) + 730 * 86_400;

  async function simulate(s: Scenario) {
    kms.resetHistory();
    const clock = new ManualClock(START);
    const sealer = (purpose: string) =>
      new EnvelopeSealer({
        keyProvider: new KmsKeyProvider(client, KEY_ARN),
        dataKeyStore: new InMemoryDataKeyStore(),
        context: encryptionContext(config, purpose),
        clock,
      });
    const envs = Array.from({ length: s.environments }, () => ({
      statement: sealer(ENCRYPTION_CONTEXT.statementPurpose),
      email: sealer(ENCRYPTION_CONTEXT.emailPurpose),
    }));
    const submit = async (i: number) => {
      const env = envs[i % envs.length] as (typeof envs)[number];
      const id = randomUUID();
      await env.statement.seal(plaintext, statementAad(BENCH_INITIATIVE_ID, 'PL', id), statementExpiry);
      if (Math.floor((i + 1) * s.emailShare) > Math.floor(i * s.emailShare)) {
        await env.email.seal(emailPlaintext, emailAad(BENCH_INITIATIVE_ID, id), emailExpiry);
      }
    };
    if (s.burst) {
      await Promise.all(Array.from({ length: s.submissions }, (_, i) => submit(i)));
    } else {
      for (let i = 0; i < s.submissions; i++) {
        clock.set(START + Math.floor((i * 1000) / s.perSecond));
        await submit(i);
      }
    }
    const calls = kms.commandCalls(GenerateDataKeyCommand).length;
    return { calls, perThousand: round((calls * 1000) / s.submissions, 3) };
  }

  const policy = `policy: ${DEFAULT_DATA_KEY_POLICY.maxUses.toLocaleString('en-GB')} uses or ${DEFAULT_DATA_KEY_POLICY.maxAgeMs / 60_000} min per data key`;
  const n = ctx.scale(100_000, 20_000);
  const fleetN = ctx.scale(300_000, 30_000);
  const quietN = ctx.scale(7_200, 1_800);

  ctx.log(`simulating ${n.toLocaleString('en-GB')} submissions at 500/s`);
  const sustained = await simulate({ submissions: n, perSecond: 500, environments: 1, emailShare: 0 });
  const burst = await simulate({
    submissions: 1_000,
    perSecond: 1,
    environments: 1,
    emailShare: 0,
    burst: true,
  });
  const email = await simulate({ submissions: n, perSecond: 500, environments: 1, emailShare: 0.25 });
  ctx.log(`simulating a fleet of 25 execution environments (${fleetN.toLocaleString('en-GB')} submissions)`);
  const fleet = await simulate({ submissions: fleetN, perSecond: 500, environments: 25, emailShare: 0 });
  const quiet = await simulate({ submissions: quietN, perSecond: 2, environments: 1, emailShare: 0 });

  const per = (x: number) => x.toLocaleString('en-GB');
  return [
    {
      key: 'sustained500',
      metric: 'KMS calls per 1,000 submissions, 500/s',
      value: sustained.perThousand,
      unit: 'per 1,000',
      target: { op: '<=', value: TARGET },
      note: `${per(n)} submissions at 500/s (${(n / 500).toFixed(0)} simulated s) on one execution environment: ${sustained.calls} GenerateDataKey calls; ${policy} (here the use count rules)`,
      details: sustained,
    },
    {
      key: 'burst1000',
      metric: 'KMS calls for a burst of 1,000 at once',
      value: burst.perThousand,
      unit: 'per 1,000',
      target: { op: '<=', value: TARGET },
      note: `1,000 concurrent seals on a cold environment: ${burst.calls} call(s) (single flight: concurrent callers share one key request)`,
      details: burst,
    },
    {
      key: 'email25',
      metric: 'KMS calls per 1,000, 500/s, 25% e-mail',
      value: email.perThousand,
      unit: 'per 1,000',
      target: { op: '<=', value: TARGET },
      note: `as above with 1 in 4 giving an e-mail (sealed under its own purpose, own data key): ${email.calls} calls`,
      details: email,
    },
    {
      key: 'fleet25',
      metric: 'KMS calls per 1,000, 500/s over 25 Lambdas',
      value: fleet.perThousand,
      unit: 'per 1,000',
      target: { op: '<=', value: TARGET },
      note: `${per(fleetN)} submissions (${(fleetN / 500 / 60).toFixed(0)} simulated min) round-robin over 25 execution environments (20/s each, so the 5-minute rule rules): ${fleet.calls} calls, 1 per environment at its cold start and then 1 per 5 min`,
      details: fleet,
    },
    {
      key: 'quiet2',
      metric: 'KMS calls per 1,000, quiet hour at 2/s',
      value: quiet.perThousand,
      unit: 'per 1,000',
      target: { op: '<=', value: TARGET },
      note: `${per(quietN)} submissions at 2/s (${(quietN / 2 / 60).toFixed(0)} simulated min): ${quiet.calls} calls; the 5-minute rule caps one environment at 12 calls/hour, so the ratio passes 2 per 1,000 only below ~1.7 submissions/s per environment (a few calls per hour in absolute terms)`,
      details: quiet,
    },
  ];
}
