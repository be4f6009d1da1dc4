import type { SubmitResult } from '@ocs/functions/use-cases/submit-statement';
import type { TestStatement } from '../../test/support/citizens';
import { countStatements } from '../../test/support/table';
import { distinctCitizens, fakeAltcha } from '../lib/citizens';
import { type CapacityRecord, type Category, recordCapacity } from '../lib/dynamo-capacity';
import { dynamoLocalSubmit } from '../lib/dynamo-local-submit';
import type { Figure } from '../lib/figures';
import type { BenchContext } from '../lib/measure';
import { mean, round } from '../lib/stats';

/**
 * DynamoDB write units per accepted (target <= 4) and per duplicate (target <= 2) statement
 * (docs/benchmarks.md). DynamoDB Local with the project's table (ensureTable), the REAL adapters (as the
 * submit handler wires them) inside the REAL SubmitStatement; a client middleware asks for
 * ConsumedCapacity on every item command and records it (see lib/dynamo-capacity.ts).
 */

interface Scenario {
  readonly label: string;
  readonly submissions: number;
  readonly records: readonly CapacityRecord[];
  readonly ms: number;
}

const sum = (records: readonly CapacityRecord[], pick: (r: CapacityRecord) => number) =>
  records.reduce((n, r) => n + pick(r), 0);

function perSubmission(
  s: Scenario,
  filter: (r: CapacityRecord) => boolean,
  pick: (r: CapacityRecord) => number,
) {
  return sum(s.records.filter(filter), pick) / s.submissions;
}

const isWrite = (r: CapacityRecord) => r.kind === 'write';
const isRead = (r: CapacityRecord) => r.kind === 'read';
const inCategory = (c: Category) => (r: CapacityRecord) => r.category === c;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const { db, table, build } = await dynamoLocalSubmit(ctx, 'dynamodb');
  const records = recordCapacity(db);
  const useCase = await build();

  async function scenario(
    label: string,
    bodies: readonly TestStatement[],
    expect: (outcome: SubmitResult | Error) => boolean,
  ): Promise<Scenario> {
    const from = records.length;
    const started = performance.now();
    for (const body of bodies) {
      const outcome = await useCase.execute(body).catch((error: unknown) => error as Error);
      if (!expect(outcome)) {
        throw new Error(
          `${label}: unexpected outcome ${outcome instanceof Error ? outcome.name : outcome.outcome}`,
        );
      }
    }
    const ms = (performance.now() - started) / bodies.length;
    ctx.log(`${label}: ${bodies.length} submissions, ${ms.toFixed(1)} ms each`);
    return { label, submissions: bodies.length, records: records.slice(from), ms };
  }
  const created = (o: SubmitResult | Error) => !(o instanceof Error) && o.outcome === 'created';

  const accepted = ctx.scale(200, 40);
  const repeats = ctx.scale(100, 20);
  const withAltcha = (c: TestStatement) => ({ ...c, altcha: fakeAltcha() });
  // The warm-up creates both data keys (statement and e-mail purposes).
  const warm = await scenario(
    'warm-up',
    distinctCitizens(6, { email: (i) => i < 2 }).map(withAltcha),
    created,
  );
  const citizens = distinctCitizens(accepted).map(withAltcha);
  const acc = await scenario('accepted', citizens, created);
  const email = await scenario(
    'accepted with e-mail',
    distinctCitizens(ctx.scale(40, 10), { email: () => true }).map(withAltcha),
    created,
  );
  // A duplicate is answered like an acceptance (201, `created`): only the store tells them apart.
  const statementsBefore = await countStatements(db, table);
  const dup = await scenario(
    'duplicate (same person, new submission and challenge)',
    citizens
      .slice(0, repeats)
      .map((c) => ({ ...c, submissionId: crypto.randomUUID(), altcha: fakeAltcha() })),
    created,
  );
  const storedByDuplicates = (await countStatements(db, table)) - statementsBefore;
  if (storedByDuplicates !== 0) throw new Error(`duplicates stored ${storedByDuplicates} statements`);
  const retry = await scenario(
    'retry (same body)',
    citizens.slice(0, repeats),
    (o) => !(o instanceof Error) && o.outcome === 'replayed',
  );

  const all = [...warm.records, ...acc.records, ...email.records, ...dup.records, ...retry.records];
  const writes = all.filter((r) => isWrite(r) && !r.failed);
  const reportedWrites = writes.filter((r) => r.reported !== undefined);
  const localReports = reportedWrites.length > 0;
  const singleWrites = reportedWrites.filter((r) => r.command !== 'TransactWriteItemsCommand');
  const agree = singleWrites.filter((r) => r.reported === r.documented).length;
  const txReported = reportedWrites.filter((r) => r.command === 'TransactWriteItemsCommand');
  const dataKeyPuts = all.filter(inCategory('dataKey'));
  const statementSizes = acc.records.filter(inCategory('transaction')).map((r) => r.itemBytes[0] ?? 0);

  // Data-key records are reported on their own row (one per 10,000 statements), not per statement.
  const perStatement = (r: CapacityRecord) => isWrite(r) && r.category !== 'dataKey';
  const doc = (s: Scenario, f: (r: CapacityRecord) => boolean = () => true) =>
    round(
      perSubmission(
        s,
        (r) => perStatement(r) && f(r),
        (r) => r.documented,
      ),
      3,
    );
  const rep = (s: Scenario, f: (r: CapacityRecord) => boolean = () => true) =>
    round(
      perSubmission(
        s,
        (r) => perStatement(r) && f(r),
        (r) => r.reported ?? 0,
      ),
      3,
    );
  const reads = (s: Scenario) =>
    round(
      perSubmission(s, isRead, (r) => r.reported ?? r.documented),
      3,
    );

  const accWcu = doc(acc);
  const claimWcu = doc(acc, inCategory('claim'));
  const txWcu = doc(acc, inCategory('transaction'));
  const share = (part: number) => `${Math.round((100 * part) / accWcu)}%`;
  const source = localReports
    ? `DynamoDB Local returns ConsumedCapacity (${reportedWrites.length}/${writes.length} writes); it agrees with the item-size rule on ${agree}/${singleWrites.length} single-item writes but reports transactions without the x2 AWS bills (Local: ${txReported.length ? mean(txReported.map((r) => r.reported ?? 0)).toFixed(1) : '-'} per transaction), so the figure is the documented billing from item sizes`
    : 'DynamoDB Local returned no ConsumedCapacity: units computed from item sizes by the documented rules';

  return [
    {
      key: 'wcu.accepted',
      metric: 'DynamoDB WCU per accepted statement',
      value: accWcu,
      unit: 'WCU',
      target: { op: '<=', value: 4 },
      note: `${acc.submissions} statements (DE/PL): challenge claim ${claimWcu} (${share(claimWcu)}) + transaction ${txWcu} (${share(txWcu)}: statement put + counter shard update, each <= 1 KB x 2 for a transaction); statement item ${Math.min(...statementSizes)}-${Math.max(...statementSizes)} B; ${source}`,
      details: {
        claim: claimWcu,
        transaction: txWcu,
        reportedByLocal: rep(acc),
        statementItemBytes: { min: Math.min(...statementSizes), max: Math.max(...statementSizes) },
        msPerSubmission: round(acc.ms, 2),
      },
    },
    {
      key: 'wcu.accepted.local',
      metric: 'WCU per accepted, as DynamoDB Local reports',
      value: localReports ? rep(acc) : null,
      unit: 'WCU',
      note: localReports
        ? `claim ${rep(acc, inCategory('claim'))} + transaction ${rep(acc, inCategory('transaction'))} (no transactional x2)`
        : 'DynamoDB Local returned no ConsumedCapacity',
    },
    {
      key: 'wcu.duplicate',
      metric: 'DynamoDB WCU per duplicate (answered 201)',
      value: doc(dup),
      unit: 'WCU',
      target: { op: '<=', value: 2 },
      note: `${dup.submissions} duplicates (same person, new submissionId and challenge): the challenge claim ${doc(dup, inCategory('claim'))} (claimed before the lookup, so one challenge cannot probe many identities) + the kept answer ${doc(dup, inCategory('duplicateAnswer'))} (D# item: receipt, time, expiry); no transaction, nothing stored or counted`,
      details: { reportedByLocal: rep(dup), storedByDuplicates },
    },
    {
      key: 'wcu.retry',
      metric: 'DynamoDB WCU per retry (same submission, 200)',
      value: doc(retry),
      unit: 'WCU',
      note: `${retry.submissions} retries of the same body: the claim is re-put by its owner (condition passes), then the stored receipt is returned (a retry of a duplicate: the kept answer)`,
      details: { reportedByLocal: rep(retry) },
    },
    {
      key: 'wcu.acceptedWithEmail',
      metric: 'DynamoDB WCU per accepted with e-mail',
      value: doc(email),
      unit: 'WCU',
      note: `${email.submissions} statements with e-mail: the transaction carries a third item (the sealed e-mail), +2 WCU`,
    },
    {
      key: 'rcu.accepted',
      metric: 'DynamoDB RCU per accepted statement',
      value: reads(acc),
      unit: 'RCU',
      note: `the consistent lookups of the dedup key and of a kept duplicate answer (1 RCU each); duplicate ${reads(dup)} RCU, retry ${reads(retry)} RCU; the initiative item is read once per 5 s per environment (cached), ${all.filter(inCategory('initiativeRead')).length} reads in this run`,
    },
    {
      key: 'wcu.dataKey',
      metric: 'Data-key record write',
      value: dataKeyPuts.length ? round(mean(dataKeyPuts.map((r) => r.documented)), 2) : null,
      unit: 'WCU',
      note: `one conditional put per data key (at most one per 10,000 statements or 5 min per purpose): ${dataKeyPuts.length} in this run, not counted per statement`,
    },
  ];
}
