import {
  createRunRetentionHandler,
  RetentionIncompleteError,
  STOP_MARGIN_MS,
} from '@ocs/functions/retention/run-retention-handler';
import { RunRetention } from '@ocs/functions/use-cases/run-retention';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import {
  FakeExportFileStore,
  FakeKeyDestroyer,
  FakePersonalDataTable,
  FakeRetentionStore,
} from '../../../support/fake-retention';
import { FakeInitiativeStore } from '../../../support/fakes';
import { captureOutput } from '../../../support/lambda';
import { testInitiative } from '../support/data';

function job(now: string) {
  const clock = new ManualClock(Date.parse(now));
  const table = new FakePersonalDataTable(2).add('S#a', 'S#b', 'E#r', 'K#k', 'C#1');
  let ids = 0;
  return {
    table,
    job: new RunRetention({
      initiatives: new FakeInitiativeStore(testInitiative(), { mode: 'live' }),
      store: new FakeRetentionStore(),
      table,
      exportFiles: new FakeExportFileStore(),
      key: new FakeKeyDestroyer(),
      trail: new FakeAuditTrail(clock),
      clock,
      newId: () => `id-${++ids}`,
    }),
  };
}

describe('the scheduled destruction job (Lambda entry)', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('runs the job and logs its outcome: counts and dates, nothing personal', async () => {
    const s = job('2028-08-01T00:30:00Z');
    const handler = createRunRetentionHandler(async () => s.job);

    const result = await handler({}, { getRemainingTimeInMillis: () => 900_000 });

    expect(result).toMatchObject({ status: 'destroyed', certificate: { statementsDestroyed: 2, met: true } });
    expect(output.text()).toContain('"message":"retention run"');
    expect(output.text()).toContain('"statementsDestroyed":2');
    expect(s.table.keys()).toEqual(['C#1']);
  });

  it('logs not_due before the deadline', async () => {
    const s = job('2027-01-01T00:30:00Z');

    const result = await createRunRetentionHandler(async () => s.job)(
      {},
      { getRemainingTimeInMillis: () => 900_000 },
    );

    expect(result).toEqual({
      status: 'not_due',
      deadline: '2028-08-01',
      rule: 'collection_start_plus_21_months',
    });
  });

  it('stops when the invocation is nearly out of time and fails, so Lambda retries and the run resumes', async () => {
    const s = job('2028-08-01T00:30:00Z');
    let remaining = STOP_MARGIN_MS + 1;
    const handler = createRunRetentionHandler(async () => s.job);
    const context = {
      getRemainingTimeInMillis: () => {
        remaining -= 1;
        return remaining;
      },
    };

    await expect(handler({}, context)).rejects.toBeInstanceOf(RetentionIncompleteError);
    expect(s.table.keys().length).toBeGreaterThan(1);

    const retried = await handler({}, { getRemainingTimeInMillis: () => 900_000 });
    expect(retried).toMatchObject({ status: 'destroyed', certificate: { statementsDestroyed: 2 } });
  });
});
