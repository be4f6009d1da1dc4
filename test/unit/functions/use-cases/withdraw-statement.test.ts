import { LatencyPadding } from '@ocs/functions/use-cases/latency-padding';
import { SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import {
  WITHDRAWAL_PADDING_DEFAULT_MS,
  WithdrawStatement,
} from '@ocs/functions/use-cases/withdraw-statement';
import { CITIZEN_ACTOR, verifyChain } from '@ocs/shared/audit';
import { ChallengeFailedError, DependencyUnavailableError, InvalidRequestError } from '@ocs/shared/errors';
import type { InitiativeMode } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import {
  FakeChallengeService,
  FakeInitiativeStore,
  FakeWithdrawalStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
  RecordingSealer,
  sha256Hasher,
} from '../../../support/fakes';
import { OTHER_SUBMISSION_ID, partABody, partBBody, testInitiative } from '../support/data';

const ORGANISER = { sub: 'org-1', email: 'ana@example.org' };
const FIRST = '11111111-1111-4111-8111-111111111111';
const SECOND = '22222222-2222-4222-8222-222222222222';
const NEVER_ISSUED = '0f8fad5b-d9cb-469f-a165-70867728950e';

/**
 * A statement store with statements submitted through the real submit use case (so receipts,
 * decoys and counts are what the system really hands out), and the withdrawal over it.
 */
function setup(mode: InitiativeMode = 'live') {
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  const statements = new InMemoryStatementStore();
  const ids = [FIRST, SECOND];
  const submit = new SubmitStatement({
    initiativeId: 'clean-rivers',
    initiatives: new FakeInitiativeStore(testInitiative(), { mode }),
    challenges: new FakeChallengeService(),
    // Each statement here is signed with a proof of work of its own.
    replay: { claim: async () => true },
    hasher: sha256Hasher,
    statementSealer: new RecordingSealer('statement-key'),
    emailSealer: new RecordingSealer('email-key'),
    statements,
    clock,
    newId: () => ids.shift() ?? 'no-more-ids',
    padding: new LatencyPadding({ sleep: async () => {} }),
  });
  const mono = { ms: 0, sleeps: [] as number[] };
  const padding = new LatencyPadding({
    now: () => mono.ms,
    sleep: async (ms) => {
      mono.sleeps.push(ms);
      mono.ms += ms;
    },
    defaultMs: WITHDRAWAL_PADDING_DEFAULT_MS,
  });
  const withdrawals = new FakeWithdrawalStore(statements);
  const trail = new FakeAuditTrail(clock);
  const replay = new InMemoryReplayStore();
  const challenges = new FakeChallengeService();
  let claimants = 0;
  const proof = { challenges, replay, newId: () => `claim-${++claimants}` };
  const withdrawal = new WithdrawStatement({ withdrawals, trail, padding });
  return { clock, statements, submit, mono, withdrawals, trail, replay, challenges, proof, withdrawal };
}

type Setup = ReturnType<typeof setup>;
const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** Everything an observer of the trail sees of the withdrawal entries. */
const withdrawalEntries = (s: Setup) =>
  s.trail.entries
    .filter((e) => e.action === 'withdrawal')
    .map(({ actor, action, details }) => ({
      actor,
      action,
      details,
    }));

describe('withdrawal by an organiser (on a written request)', () => {
  it('deletes the statement of the receipt and takes its count back, answering done', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    expect(s.statements.counts.get('PL')).toBe(1);

    const answer = await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });

    expect(answer).toEqual({ status: 'done' });
    expect(s.statements.statements.size).toBe(0);
    expect(s.statements.counts.get('PL')).toBe(0);
    expect(withdrawalEntries(s)).toEqual([{ actor: ORGANISER, action: 'withdrawal', details: {} }]);
  });

  it('answers a receipt that names nothing exactly alike, changes nothing, and records the same entry', async () => {
    const s = setup();
    await s.submit.execute(partBBody());

    const answer = await s.withdrawal.byOrganiser(ORGANISER, { receipt: NEVER_ISSUED });

    expect(answer).toEqual({ status: 'done' });
    expect(s.statements.statements.size).toBe(1);
    expect(s.statements.counts.get('PL')).toBe(1);
    expect(withdrawalEntries(s)).toEqual([{ actor: ORGANISER, action: 'withdrawal', details: {} }]);
    expect(await verifyChain(s.trail.entries)).toMatchObject({ valid: true });
  });

  it('is idempotent: a retry answers alike and takes the count back exactly once', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    await s.submit.execute(partABody({ submissionId: OTHER_SUBMISSION_ID }));
    expect(total(s.statements.counts)).toBe(2);

    const first = await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });
    const retry = await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });

    expect(retry).toEqual(first);
    expect(s.statements.counts.get('PL')).toBe(0);
    expect(total(s.statements.counts)).toBe(1);
    expect(s.withdrawals.withdrawn.map((r) => r.statementId)).toEqual([FIRST]);
    expect(withdrawalEntries(s)).toHaveLength(2);
  });

  it("withdraws nothing with a duplicate's decoy receipt: the stored statement of that person stays", async () => {
    const s = setup();
    const stored = await s.submit.execute(partBBody());
    // The same person again, a new submission: answered 201 with a receipt of its own.
    const duplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    expect(duplicate.outcome).toBe('created');
    expect(duplicate.receipt).toBe(SECOND);

    await s.withdrawal.byOrganiser(ORGANISER, { receipt: duplicate.receipt });

    expect(s.withdrawals.withdrawn).toEqual([]);
    expect(s.statements.counts.get('PL')).toBe(1);
    expect([...s.statements.statements.values()].map((r) => r.statementId)).toEqual([stored.receipt]);
  });

  it('takes a test statement back from the test counts (test mode), leaving live counts alone', async () => {
    const s = setup('test');
    await s.submit.execute(partBBody());
    s.statements.counts.set('PL', 5);
    expect(s.statements.testCounts.get('PL')).toBe(1);

    await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });

    expect(s.statements.testStatements.size).toBe(0);
    expect(s.statements.testCounts.get('PL')).toBe(0);
    expect(s.statements.counts.get('PL')).toBe(5);
  });

  it('accepts the receipt in upper case and with surrounding spaces, as a citizen may copy it', async () => {
    const s = setup();
    await s.submit.execute(partBBody());

    await s.withdrawal.byOrganiser(ORGANISER, { receipt: `  ${FIRST.toUpperCase()} ` });

    expect(total(s.statements.counts)).toBe(0);
  });

  it.each([
    [{}, 'receipt', 'required'],
    [{ receipt: 'not-a-uuid' }, 'receipt', 'invalid_format'],
    [{ receipt: FIRST, extra: 1 }, 'extra', 'not_allowed'],
  ] as const)(
    'refuses %j with a field error (%s %s), withdrawing and recording nothing',
    async (body, field, code) => {
      const s = setup();
      await s.submit.execute(partBBody());

      const refusal = s.withdrawal.byOrganiser(ORGANISER, body);

      await expect(refusal).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(refusal).rejects.toMatchObject({ errors: [expect.objectContaining({ field, code })] });
      expect(s.withdrawals.calls).toBe(0);
      expect(s.trail.entries).toEqual([]);
    },
  );

  it('fails (503) without a trace when the audit trail cannot record it; a retry finishes it', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.trail.failNext(new DependencyUnavailableError('database'));

    await expect(s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });

    expect(s.statements.counts.get('PL')).toBe(0);
    expect(withdrawalEntries(s)).toHaveLength(1);
  });

  it('passes a failing store on (503): the same for a hit and a miss, so it tells nothing', async () => {
    const s = setup();
    s.withdrawals.failure = new DependencyUnavailableError('database');

    await expect(s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(s.trail.entries).toEqual([]);
  });
});

describe('the time a withdrawal takes does not say whether it matched', () => {
  it('holds a miss until the typical withdrawal that found its statement, measured in this environment', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    // A hit takes 40 ms (it becomes the typical hit), a miss 4 ms.
    s.withdrawals.onAnswer = (outcome) => {
      s.mono.ms += outcome === 'withdrawn' ? 40 : 4;
    };
    await s.withdrawal.byOrganiser(ORGANISER, { receipt: FIRST });
    expect(s.mono.sleeps).toEqual([]);

    const before = s.mono.ms;
    await s.withdrawal.byOrganiser(ORGANISER, { receipt: NEVER_ISSUED });

    expect(s.mono.sleeps).toEqual([36]);
    expect(s.mono.ms - before).toBe(40);
  });

  it('holds a miss until the default before any withdrawal found a statement here', async () => {
    const s = setup();

    await s.withdrawal.byOrganiser(ORGANISER, { receipt: NEVER_ISSUED });

    expect(s.mono.sleeps).toEqual([WITHDRAWAL_PADDING_DEFAULT_MS]);
  });
});

describe('withdrawal by a citizen (public route, proof of work)', () => {
  it('withdraws with a valid proof of work and records it as an anonymous citizen', async () => {
    const s = setup();
    await s.submit.execute(partBBody());

    const answer = await s.withdrawal.byCitizen(s.proof, { receipt: FIRST, altcha: 'payload' });

    expect(answer).toEqual({ status: 'done' });
    expect(total(s.statements.counts)).toBe(0);
    expect(withdrawalEntries(s)).toEqual([{ actor: CITIZEN_ACTOR, action: 'withdrawal', details: {} }]);
  });

  it('claims the challenge for this request only, with nothing that links it to the receipt', async () => {
    const s = setup();

    await s.withdrawal.byCitizen(s.proof, { receipt: FIRST, altcha: 'payload' });

    const claims = [...s.replay.claims.values()].map((c) => c.claimant);
    expect(claims).toEqual([{ submissionId: 'claim-1', dedupKey: 'withdrawal' }]);
    expect(JSON.stringify(claims)).not.toContain(FIRST);
  });

  it.each([
    [{ receipt: FIRST }, 'missing'],
    [{ receipt: FIRST, altcha: '' }, 'missing'],
  ] as const)('refuses %j with 403 challenge_failed (%s), withdrawing nothing', async (body, reason) => {
    const s = setup();
    await s.submit.execute(partBBody());

    await expect(s.withdrawal.byCitizen(s.proof, body)).rejects.toMatchObject({
      name: 'ChallengeFailedError',
      reason,
    });
    expect(total(s.statements.counts)).toBe(1);
    expect(s.trail.entries).toEqual([]);
  });

  it('refuses a proof of work that does not verify, or one already used, withdrawing nothing', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: false, reason: 'expired' };

    await expect(s.withdrawal.byCitizen(s.proof, { receipt: FIRST, altcha: 'x' })).rejects.toBeInstanceOf(
      ChallengeFailedError,
    );
    s.challenges.result = { ok: true, challengeId: 'c-1', expiresAtEpochSeconds: 1_795_860_600 };
    await s.withdrawal.byCitizen(s.proof, { receipt: NEVER_ISSUED, altcha: 'x' });
    // The same solved challenge again, even for the same receipt: refused.
    await expect(s.withdrawal.byCitizen(s.proof, { receipt: FIRST, altcha: 'x' })).rejects.toMatchObject({
      reason: 'already_used',
    });

    expect(total(s.statements.counts)).toBe(1);
    expect(withdrawalEntries(s)).toHaveLength(1);
  });

  it('checks the receipt before the proof of work (a malformed one is 422, its challenge left unused)', async () => {
    const s = setup();

    await expect(s.withdrawal.byCitizen(s.proof, { receipt: 'x', altcha: 'payload' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(s.challenges.verified).toEqual([]);
    expect(s.replay.calls).toBe(0);
  });
});
