import { IntakeTally } from '@ocs/functions/use-cases/intake-tally';
import { LatencyPadding } from '@ocs/functions/use-cases/latency-padding';
import { RETRY_WINDOW_SECONDS, SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import { ANNEX_REVISION } from '@ocs/shared';
import {
  ChallengeFailedError,
  CollectionNotOpenError,
  InitiativeNotConfiguredError,
  StatementValidationError,
} from '@ocs/shared/errors';
import type { Initiative, InitiativeMode } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import {
  FakeChallengeService,
  FakeInitiativeStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
  RecordingSealer,
  sha256Hasher,
} from '../../../support/fakes';
import { OTHER_SUBMISSION_ID, partABody, partBBody, SUBMISSION_ID, testInitiative } from '../support/data';

const decoder = new TextDecoder();
/** 2026-11-01 + 21 months = 2028-08-01, midnight UTC. */
const STATEMENT_EXPIRY = Date.parse('2028-08-01T00:00:00Z') / 1000;
/** 2027-10-31 + 12 months = 2028-10-31, midnight UTC. */
const EMAIL_EXPIRY = Date.parse('2028-10-31T00:00:00Z') / 1000;

/** A monotonic clock that only the code under test's own hooks and the fake sleeper move. */
function monotonic() {
  const mono = { ms: 1_000, sleeps: [] as number[] };
  const padding = new LatencyPadding({
    now: () => mono.ms,
    sleep: async (ms) => {
      mono.sleeps.push(ms);
      mono.ms += ms;
    },
    defaultMs: 30,
  });
  return { mono, padding };
}

/** A live initiative unless a test says otherwise (test mode has tests of its own below). */
function setup(initiative: Initiative | 'none' = testInitiative(), mode: InitiativeMode = 'live') {
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  const ids = [
    '11111111-1111-4111-8111-111111111111',
    '22222222-2222-4222-8222-222222222222',
    '33333333-3333-4333-8333-333333333333',
    '44444444-4444-4444-8444-444444444444',
  ];
  const { mono, padding } = monotonic();
  const emitted: unknown[] = [];
  const tally = new IntakeTally({
    emit: (c) => emitted.push(c),
    now: () => mono.ms,
    periodMs: 0,
    minAnswers: 2,
  });
  const deps = {
    initiativeId: 'clean-rivers',
    initiatives: new FakeInitiativeStore(initiative === 'none' ? undefined : initiative, { mode }),
    challenges: new FakeChallengeService(),
    replay: new InMemoryReplayStore(),
    hasher: sha256Hasher,
    statementSealer: new RecordingSealer('statement-key'),
    emailSealer: new RecordingSealer('email-key'),
    statements: new InMemoryStatementStore(),
    clock,
    newId: () => ids.shift() ?? 'no-more-ids',
    padding,
    tally,
  };
  return { ...deps, mono, emitted, submit: new SubmitStatement(deps) };
}

type Setup = ReturnType<typeof setup>;
const nothingStoredOrSealed = (s: Setup) => {
  expect(s.statements.storeCalls).toBe(0);
  expect(s.statements.statements.size).toBe(0);
  expect(s.statementSealer.calls).toHaveLength(0);
  expect(s.emailSealer.calls).toHaveLength(0);
};

describe('SubmitStatement', () => {
  it('stores and counts a valid Part B statement and returns its receipt', async () => {
    const s = setup();

    const result = await s.submit.execute(partBBody());

    expect(result).toEqual({
      outcome: 'created',
      receipt: '11111111-1111-4111-8111-111111111111',
      submittedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(s.statements.counts.get('PL')).toBe(1);
    const [stored] = [...s.statements.statements.values()];
    expect(stored).toMatchObject({
      statementId: '11111111-1111-4111-8111-111111111111',
      submissionId: SUBMISSION_ID,
      country: 'PL',
      annexRevision: ANNEX_REVISION,
      submittedAt: '2026-11-28T10:00:00.000Z',
      personalData: { dataKeyRef: 'statement-key' },
    });
  });

  it('sets the expiry attribute to collection start + 21 months', async () => {
    const s = setup();

    await s.submit.execute(partBBody());

    const [stored] = [...s.statements.statements.values()];
    expect(stored?.expiresAtEpochSeconds).toBe(STATEMENT_EXPIRY);
    expect(s.statementSealer.calls[0]?.expiresAt).toBe(STATEMENT_EXPIRY);
  });

  it('seals exactly the personal fields of Part B', async () => {
    const s = setup();

    await s.submit.execute(partBBody({ documentNumber: '4405 1401-359' }));

    const sealed = JSON.parse(decoder.decode(s.statementSealer.calls[0]?.plaintext));
    expect(sealed).toEqual({
      firstNames: 'Zofia Anna',
      familyNames: 'Kowalska',
      documentType: 'personalNumber',
      documentNumber: '44051401359',
    });
  });

  it('seals exactly the personal fields of Part A', async () => {
    const s = setup();

    await s.submit.execute(partABody());

    const sealed = JSON.parse(decoder.decode(s.statementSealer.calls[0]?.plaintext));
    expect(sealed).toEqual({
      firstNames: 'Hans Peter',
      familyNames: 'Müller',
      dateOfBirth: '1980-02-03',
      street: 'Hauptstraße',
      streetNumber: '5a',
      postalCode: '10115',
      city: 'Berlin',
      countryOfResidence: 'DE',
    });
  });

  it('binds the sealed data to initiative, country and statement id (AAD)', async () => {
    const s = setup();

    const { receipt } = await s.submit.execute(partBBody());

    const aad = decoder.decode(s.statementSealer.calls[0]?.aad);
    expect(aad.split('\u001f')).toEqual(['ocs/statement/v1', 'clean-rivers', 'PL', receipt]);
  });

  it('keeps the statement item free of plaintext personal data', async () => {
    const s = setup();

    await s.submit.execute(partBBody());

    const [stored] = [...s.statements.statements.values()];
    const { personalData, ...rest } = stored ?? {};
    const visible = JSON.stringify(rest);
    expect(personalData).toBeDefined();
    expect(visible).not.toMatch(/Zofia|Kowalska|44051401359|altcha|eyJ/);
    expect(stored?.dedupKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('seals the e-mail under the e-mail sealer, with its own AAD and expiry, when consented', async () => {
    const s = setup();

    const { receipt } = await s.submit.execute(partBBody({ email: 'zofia@example.org', emailConsent: true }));

    expect(s.emailSealer.calls).toHaveLength(1);
    expect(JSON.parse(decoder.decode(s.emailSealer.calls[0]?.plaintext))).toEqual({
      email: 'zofia@example.org',
    });
    expect(decoder.decode(s.emailSealer.calls[0]?.aad).split('\u001f')).toEqual([
      'ocs/email/v1',
      'clean-rivers',
      receipt,
    ]);
    expect(s.emailSealer.calls[0]?.expiresAt).toBe(EMAIL_EXPIRY);
    expect(decoder.decode(s.statementSealer.calls[0]?.plaintext)).not.toContain('zofia@example.org');
    const [stored] = [...s.statements.statements.values()];
    expect(stored?.email).toEqual({
      sealed: expect.objectContaining({ dataKeyRef: 'email-key' }),
      expiresAtEpochSeconds: EMAIL_EXPIRY,
    });
  });

  it('seals no e-mail without one', async () => {
    const s = setup();

    await s.submit.execute(partBBody());

    expect(s.emailSealer.calls).toHaveLength(0);
    expect([...s.statements.statements.values()][0]?.email).toBeUndefined();
  });

  it('refuses an e-mail without consent before sealing anything', async () => {
    const s = setup();

    await expect(s.submit.execute(partBBody({ email: 'zofia@example.org' }))).rejects.toBeInstanceOf(
      StatementValidationError,
    );
    nothingStoredOrSealed(s);
  });

  it('reports all field errors at once, before the challenge is looked at', async () => {
    const s = setup();

    const error = await s.submit
      .execute(partBBody({ firstNames: '', documentNumber: '44051401358', certify: false, shoeSize: 44 }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StatementValidationError);
    const fields = (error as StatementValidationError).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['certify', 'documentNumber', 'firstNames', 'shoeSize']);
    expect(s.challenges.verified).toHaveLength(0);
    expect(s.replay.calls).toBe(0);
    nothingStoredOrSealed(s);
  });

  it.each([null, [], 'x', 42])(
    'refuses a body that is not an object (%j) as a validation error',
    async (body) => {
      const s = setup();

      await expect(s.submit.execute(body)).rejects.toBeInstanceOf(StatementValidationError);
    },
  );

  it.each(['missing', 'malformed', 'invalid_signature', 'invalid_solution', 'expired'] as const)(
    'refuses a failed challenge (%s): nothing claimed, sealed or stored',
    async (reason) => {
      const s = setup();
      s.challenges.result = { ok: false, reason };

      const error = await s.submit.execute(partBBody()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ChallengeFailedError);
      expect(error).toMatchObject({ reason });
      expect(s.replay.calls).toBe(0);
      expect(s.statements.findCalls).toBe(0);
      nothingStoredOrSealed(s);
    },
  );

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['null', null],
  ])('a missing altcha payload (%s) is a failed challenge, not a field error', async (_name, altcha) => {
    const s = setup();

    const error = await s.submit.execute(partBBody({ altcha })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChallengeFailedError);
    expect(error).toMatchObject({ reason: 'missing' });
    expect(s.challenges.verified).toEqual([]);
    expect(s.replay.calls).toBe(0);
    nothingStoredOrSealed(s);
  });

  it('field errors come before the challenge, all of them, none about altcha', async () => {
    const s = setup();

    const error = await s.submit
      .execute(partABody({ altcha: undefined, firstNames: '', postalCode: 'x<' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StatementValidationError);
    expect((error as StatementValidationError).errors.map((e) => [e.field, e.code])).toEqual([
      ['firstNames', 'required'],
      ['postalCode', 'invalid_characters'],
    ]);
    expect(s.challenges.verified).toEqual([]);
  });

  it('verifies the altcha payload the citizen sent', async () => {
    const s = setup();

    await s.submit.execute(partBBody({ altcha: 'cGF5bG9hZA==' }));

    expect(s.challenges.verified).toEqual(['cGF5bG9hZA==']);
  });

  it.each([
    ['not started', { start: '2026-12-01', end: '2027-11-30' }, 'not_started'],
    ['closed by date', { start: '2025-11-01', end: '2026-10-31' }, 'closed'],
    ['switched off', { enabled: false }, 'closed'],
  ] as const)('refuses a statement when collection is %s', async (_, collection, status) => {
    const s = setup(testInitiative(collection));

    const error = await s.submit.execute(partBBody()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CollectionNotOpenError);
    expect(error).toMatchObject({ status });
    expect(s.replay.calls).toBe(0);
    nothingStoredOrSealed(s);
  });

  it('refuses a statement from the destruction deadline day on, even within the collection dates', async () => {
    const s = setup();
    // Submitted to the Commission on 28 October: the data go on 28 November, today.
    s.initiatives.lifecycle = { mode: 'live', submittedOn: '2026-10-28' };

    const error = await s.submit.execute(partBBody()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CollectionNotOpenError);
    expect(error).toMatchObject({ status: 'closed' });
    nothingStoredOrSealed(s);
    // The day before its deadline, the same statement is taken.
    s.initiatives.lifecycle = { mode: 'live', submittedOn: '2026-10-29' };
    expect((await s.submit.execute(partBBody())).outcome).toBe('created');
  });

  it('fails with InitiativeNotConfiguredError when there is no initiative', async () => {
    const s = setup('none');

    await expect(s.submit.execute(partBBody())).rejects.toBeInstanceOf(InitiativeNotConfiguredError);
    nothingStoredOrSealed(s);
  });

  it('answers the same person with another submission like an acceptance: 201, a fresh receipt, nothing stored or counted', async () => {
    const s = setup();
    const first = await s.submit.execute(partBBody());
    s.clock.advance(60_000);
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const duplicate = await s.submit.execute(
      partBBody({ submissionId: OTHER_SUBMISSION_ID, documentNumber: '440514-01359' }),
    );

    expect(duplicate).toEqual({
      outcome: 'created',
      receipt: '22222222-2222-4222-8222-222222222222',
      submittedAt: '2026-11-28T10:01:00.000Z',
    });
    expect(Object.keys(duplicate)).toEqual(Object.keys(first));
    expect(duplicate.receipt).not.toBe(first.receipt);
    expect(s.statements.storeCalls).toBe(1);
    expect(s.statements.statements.size).toBe(1);
    expect([...s.statements.statements.values()][0]?.statementId).toBe(first.receipt);
    expect(s.statements.counts.get('PL')).toBe(1);
  });

  it('answers the same Part A person spelt differently like an acceptance, storing nothing', async () => {
    const s = setup();
    await s.submit.execute(partABody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const duplicate = await s.submit.execute(
      partABody({ submissionId: OTHER_SUBMISSION_ID, firstNames: 'HANS  PETER', familyNames: 'Muller' }),
    );

    expect(duplicate.outcome).toBe('created');
    expect(s.statements.storeCalls).toBe(1);
    expect(s.statements.counts.get('DE')).toBe(1);
  });

  it('keeps only the answer of a duplicate, under a key that is neither the dedup key nor the submission, for the retry window', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const duplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect([...s.statements.answers.values()]).toEqual([
      {
        answerKey: expect.stringMatching(/^[0-9a-f]{64}$/),
        receipt: duplicate.receipt,
        submittedAt: duplicate.submittedAt,
        expiresAtEpochSeconds: Date.parse(duplicate.submittedAt) / 1000 + RETRY_WINDOW_SECONDS,
      },
    ]);
    const [answerKey] = [...s.statements.answers.keys()];
    expect(answerKey).not.toBe([...s.statements.statements.keys()][0]);
    expect(JSON.stringify([...s.statements.answers.values()])).not.toMatch(
      /Zofia|Kowalska|44051401359|0b7d5c52/,
    );
    expect(RETRY_WINDOW_SECONDS).toBeGreaterThanOrEqual(24 * 60 * 60);
  });

  it('pays the same key work for a duplicate as for an acceptance (and discards the sealed data)', async () => {
    const s = setup();
    await s.submit.execute(partBBody({ email: 'zofia@example.org', emailConsent: true }));
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const duplicate = await s.submit.execute(
      partBBody({ submissionId: OTHER_SUBMISSION_ID, email: 'zofia@example.org', emailConsent: true }),
    );

    expect(s.statementSealer.calls).toHaveLength(2);
    expect(s.emailSealer.calls).toHaveLength(2);
    expect(decoder.decode(s.statementSealer.calls[1]?.aad).split('\u001f')).toEqual([
      'ocs/statement/v1',
      'clean-rivers',
      'PL',
      duplicate.receipt,
    ]);
    expect(s.statements.statements.size).toBe(1);
  });

  it('fails a duplicate like an acceptance when the key service fails, keeping no answer', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const outage = new Error('key service down');
    s.statementSealer.failure = outage;

    await expect(s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }))).rejects.toBe(outage);
    expect(s.statements.keepCalls).toBe(0);
  });

  it('answers a retry of a duplicate with the first answer (200), whatever the time and challenge', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const duplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    s.clock.advance(30_000);

    const sameChallenge = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    s.challenges.result = { ok: true, challengeId: 'c'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    s.clock.advance(23 * 3_600_000);
    const newChallenge = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    for (const retry of [sameChallenge, newChallenge]) {
      expect(retry).toEqual({
        outcome: 'replayed',
        receipt: duplicate.receipt,
        submittedAt: duplicate.submittedAt,
      });
    }
    expect(s.statements.keepCalls).toBe(1);
    expect(s.statementSealer.calls).toHaveLength(2);
  });

  it('answers a retry of a duplicate the same way after the original statement is gone (withdrawn)', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const duplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    s.statements.statements.clear();
    s.challenges.result = { ok: true, challengeId: 'c'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const retry = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(retry).toEqual({
      outcome: 'replayed',
      receipt: duplicate.receipt,
      submittedAt: duplicate.submittedAt,
    });
    expect(s.statements.storeCalls).toBe(1);
  });

  it('does not treat another person with the same submission id as a retry of a duplicate', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    s.challenges.result = { ok: true, challengeId: 'c'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const other = await s.submit.execute(partABody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(other.outcome).toBe('created');
    expect(s.statements.counts.get('DE')).toBe(1);
  });

  it('treats retries after the retry window alike: a fresh 201, whether the first attempt was stored or a duplicate', async () => {
    const s = setup();
    const stored = await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const duplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    s.clock.advance(RETRY_WINDOW_SECONDS * 1000);

    s.challenges.result = { ok: true, challengeId: 'c'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const lateStored = await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'd'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const lateDuplicate = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(lateStored).toMatchObject({ outcome: 'created', submittedAt: '2026-11-30T10:00:00.000Z' });
    expect(lateDuplicate).toMatchObject({ outcome: 'created', submittedAt: '2026-11-30T10:00:00.000Z' });
    expect(lateStored.receipt).not.toBe(stored.receipt);
    expect(lateDuplicate.receipt).not.toBe(duplicate.receipt);
    expect(s.statements.storeCalls).toBe(1);
    expect(s.statements.counts.get('PL')).toBe(1);
  });

  it('replays the first receipt for a retry with the same submissionId (same challenge)', async () => {
    const s = setup();
    const first = await s.submit.execute(partBBody());
    s.clock.advance(30_000);

    const retry = await s.submit.execute(partBBody());

    expect(retry).toEqual({ outcome: 'replayed', receipt: first.receipt, submittedAt: first.submittedAt });
    expect(s.statementSealer.calls).toHaveLength(1);
    expect(s.statements.counts.get('PL')).toBe(1);
  });

  it('replays the first receipt for a retry with the same submissionId and a new challenge', async () => {
    const s = setup();
    const first = await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'c'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    const retry = await s.submit.execute(partBBody());

    expect(retry).toMatchObject({ outcome: 'replayed', receipt: first.receipt });
  });

  it('refuses a challenge already claimed by another submission', async () => {
    const s = setup();
    await s.submit.execute(partBBody());

    const error = await s.submit
      .execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChallengeFailedError);
    expect(error).toMatchObject({ reason: 'already_used' });
  });

  it('refuses a challenge already claimed by another identity, before revealing anything stored', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    const findsBefore = s.statements.findCalls;

    const error = await s.submit.execute(partABody({ submissionId: SUBMISSION_ID })).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ChallengeFailedError', reason: 'already_used' });
    expect(s.statements.findCalls).toBeLessThanOrEqual(findsBefore + 1);
    expect(s.statementSealer.calls).toHaveLength(1);
  });

  it('answers 403 when a reused challenge carries an identity that already signed', async () => {
    const s = setup();
    await s.submit.execute(partBBody());

    const error = await s.submit
      .execute(partBBody({ submissionId: '9b2f3c4d-1111-4aaa-8bbb-123456789abc' }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ChallengeFailedError', reason: 'already_used' });
    expect(s.statementSealer.calls).toHaveLength(1);
  });

  it('claims the challenge for this submission and identity until the challenge expires', async () => {
    const s = setup();

    await s.submit.execute(partBBody());

    const claim = s.replay.claims.get('0123456789abcdef0123456789abcdef');
    expect(claim?.claimant.submissionId).toBe(SUBMISSION_ID);
    expect(claim?.claimant.dedupKey).toBe([...s.statements.statements.keys()][0]);
    expect(claim?.expiresAt).toBe(1_795_860_600);
  });

  it('resolves a lost race with another submission as a duplicate: 201, nothing counted twice', async () => {
    const s = setup();
    s.statements.beforeStore = (record) => {
      s.statements.statements.set(record.dedupKey, {
        ...record,
        statementId: 'winner-statement',
        submissionId: OTHER_SUBMISSION_ID,
      });
    };

    const result = await s.submit.execute(partBBody());

    expect(result).toEqual({
      outcome: 'created',
      receipt: '11111111-1111-4111-8111-111111111111',
      submittedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(s.statements.counts.get('PL')).toBeUndefined();
    expect(s.statements.answers.size).toBe(1);
  });

  it("does not hold a duplicate that lost a race: its failed transaction took a transaction's time", async () => {
    const s = setup();
    s.statements.beforeStore = (record) => {
      s.mono.ms += 25;
      s.statements.statements.set(record.dedupKey, { ...record, submissionId: OTHER_SUBMISSION_ID });
    };

    const result = await s.submit.execute(partBBody());

    expect(result.outcome).toBe('created');
    expect(s.statements.keepCalls).toBe(1);
    expect(s.mono.sleeps).toEqual([]);
  });

  it('answers as a concurrent retry of the same duplicate that was answered first (200)', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    s.statements.beforeKeep = (record) => {
      s.statements.answers.set(record.answerKey, {
        ...record,
        receipt: 'winner-receipt',
        submittedAt: '2026-11-28T09:59:59.000Z',
      });
    };

    const result = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(result).toEqual({
      outcome: 'replayed',
      receipt: 'winner-receipt',
      submittedAt: '2026-11-28T09:59:59.000Z',
    });
  });

  it('resolves a lost race with its own earlier attempt as a replay of the winner', async () => {
    const s = setup();
    s.statements.beforeStore = (record) => {
      s.statements.statements.set(record.dedupKey, {
        ...record,
        statementId: 'winner-statement',
        submittedAt: '2026-11-28T09:59:59.000Z',
      });
    };

    const result = await s.submit.execute(partBBody());

    expect(result).toEqual({
      outcome: 'replayed',
      receipt: 'winner-statement',
      submittedAt: '2026-11-28T09:59:59.000Z',
    });
  });

  it('stores nothing when sealing fails', async () => {
    const s = setup();
    const outage = new Error('key service down');
    s.statementSealer.failure = outage;

    await expect(s.submit.execute(partBBody())).rejects.toBe(outage);
    expect(s.statements.storeCalls).toBe(0);
  });

  it('lets the citizen retry with the same challenge after a failure past the claim', async () => {
    const s = setup();
    s.statementSealer.failure = new Error('key service down');
    await expect(s.submit.execute(partBBody())).rejects.toThrow();
    s.statementSealer.failure = undefined;

    const result = await s.submit.execute(partBBody());

    expect(result.outcome).toBe('created');
  });

  it('holds a duplicate write as long as a recent accepted write (fake clock, no real sleep)', async () => {
    const s = setup();
    // The acceptance spends 25 ms in its transaction; the duplicate 5 ms in its put. Everything
    // before the write is the same work on both paths.
    s.statements.beforeStore = () => {
      s.mono.ms += 25;
    };
    s.statements.beforeKeep = () => {
      s.mono.ms += 5;
    };
    await s.submit.execute(partBBody());
    expect(s.mono.sleeps).toEqual([]);
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };

    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    // After its 5 ms put, the duplicate waits the typical difference: 25 - 5 = 20 ms.
    expect(s.mono.sleeps).toEqual([20]);
  });

  it('holds a duplicate write for the default before any acceptance in this environment', async () => {
    // The statement was stored through another execution environment.
    const elsewhere = setup();
    await elsewhere.submit.execute(partBBody());
    const s = setup();
    for (const [key, record] of elsewhere.statements.statements) s.statements.statements.set(key, record);

    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(s.mono.sleeps).toEqual([30]);
  });

  it('never holds an acceptance or a retry', async () => {
    const s = setup();
    s.statements.beforeStore = () => {
      s.mono.ms += 10;
    };
    await s.submit.execute(partBBody());
    await s.submit.execute(partBBody());
    expect(s.mono.sleeps).toEqual([]);
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    expect(s.mono.sleeps).toEqual([10]);

    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(s.mono.sleeps).toEqual([10]);
  });

  it('counts duplicates only in aggregate, emitted when a later submission arrives', async () => {
    const s = setup();
    await s.submit.execute(partBBody());
    s.challenges.result = { ok: true, challengeId: 'b'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));
    expect(s.emitted).toEqual([]);

    await expect(s.submit.execute(partBBody({ firstNames: '' }))).rejects.toThrow();

    expect(s.emitted).toEqual([{ accepted: 1, duplicates: 1, periodSeconds: expect.any(Number) }]);
  });
});

describe('SubmitStatement in test mode', () => {
  it('stores and counts a test statement apart from live ones, under the Brussels date', async () => {
    const s = setup(testInitiative(), 'test');

    const result = await s.submit.execute(partBBody());

    expect(result.outcome).toBe('created');
    expect(s.statements.statements.size).toBe(0);
    expect(s.statements.counts.size).toBe(0);
    expect(s.statements.testCounts.get('PL')).toBe(1);
    expect([...s.statements.testStatements.values()][0]).toMatchObject({
      mode: 'test',
      countDay: '2026-11-28',
      country: 'PL',
    });
  });

  it('deduplicates within test mode only: a live statement of the same person is not a duplicate of a test one', async () => {
    const s = setup(testInitiative(), 'test');
    await s.submit.execute(partBBody());

    s.initiatives.lifecycle = { mode: 'live' };
    s.challenges.result = { ok: true, challengeId: 'f'.repeat(32), expiresAtEpochSeconds: 1_795_860_600 };
    const live = await s.submit.execute(partBBody({ submissionId: OTHER_SUBMISSION_ID }));

    expect(live.outcome).toBe('created');
    expect(s.statements.statements.size).toBe(1);
    expect(s.statements.counts.get('PL')).toBe(1);
    expect(s.statements.testStatements.size).toBe(1);
  });

  it('stores a statement as live when the initiative went live after its (cached) mode was read', async () => {
    const s = setup(testInitiative(), 'test');
    // The store's transaction sees the item as it is now; the use case read test mode before.
    s.statements.currentMode = () => s.initiatives.lifecycle.mode;
    s.statements.beforeStore = (record) => {
      if (record.mode === 'test') s.initiatives.lifecycle = { mode: 'live' };
    };

    const result = await s.submit.execute(partBBody());

    expect(result.outcome).toBe('created');
    expect(s.statements.testStatements.size).toBe(0);
    expect([...s.statements.statements.values()][0]).toMatchObject({ mode: 'live', country: 'PL' });
    expect(s.statements.counts.get('PL')).toBe(1);
    expect(s.statements.storeCalls).toBe(2);
  });

  it('refuses with collection_not_open when the fresh read after go-live finds collection paused', async () => {
    const s = setup(testInitiative(), 'test');
    s.statements.currentMode = () => s.initiatives.lifecycle.mode;
    s.statements.beforeStore = () => {
      s.initiatives.lifecycle = { mode: 'live' };
      s.initiatives.value = testInitiative({ enabled: false });
    };

    await expect(s.submit.execute(partBBody())).rejects.toBeInstanceOf(CollectionNotOpenError);
    expect(s.statements.statements.size + s.statements.testStatements.size).toBe(0);
  });
});
