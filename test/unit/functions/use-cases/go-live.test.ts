import { GO_LIVE_LEASE_SECONDS, goLive } from '@ocs/functions/use-cases/go-live';
import {
  AlreadyLiveError,
  DependencyUnavailableError,
  InvalidRequestError,
  WrongConfirmationError,
} from '@ocs/shared/errors';
import type { InitiativeLifecycle } from '@ocs/shared/initiative';
import type { StatementRecord } from '@ocs/shared/ports';
import { describe, expect, it } from 'vitest';
import { ORGANISER, OTHER_ORGANISER } from '../../../support/audit-chain';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import { FakeInitiativeStore, FakeTestDataWiper, InMemoryStatementStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

const REGISTRATION = 'ECI(2026)000042';

function testStatement(dedupKey: string, email = false): StatementRecord {
  return {
    dedupKey,
    statementId: `statement-${dedupKey}`,
    submissionId: `submission-${dedupKey}`,
    country: 'PL',
    annexRevision: 1,
    submittedAt: '2026-11-27T10:00:00.000Z',
    personalData: { dataKeyRef: 'k', context: {}, iv: new Uint8Array(12), ciphertext: new Uint8Array(4) },
    ...(email
      ? {
          email: {
            sealed: { dataKeyRef: 'e', context: {}, iv: new Uint8Array(12), ciphertext: new Uint8Array(4) },
            expiresAtEpochSeconds: 1,
          },
        }
      : {}),
    expiresAtEpochSeconds: 1,
    mode: 'test',
    countDay: '2026-11-27',
  };
}

async function setup(lifecycle: InitiativeLifecycle = { mode: 'test' }) {
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  const initiatives = new FakeInitiativeStore(testInitiative(), lifecycle);
  const trail = new FakeAuditTrail(clock);
  const statements = new InMemoryStatementStore();
  await statements.storeAndCount(testStatement('a', true));
  await statements.storeAndCount(testStatement('b'));
  const wiper = new FakeTestDataWiper(statements);
  return { clock, initiatives, trail, statements, wiper, deps: { initiatives, trail, clock, wiper } };
}

describe('goLive (POST /api/admin/go-live)', () => {
  it('goes live, deletes the test data, records go_live with what was deleted, and finishes', async () => {
    const s = await setup();

    expect(await goLive(s.deps, ORGANISER, { confirm: REGISTRATION })).toEqual({ mode: 'live' });

    expect(s.initiatives.lifecycle).toEqual({ mode: 'live', liveSince: '2026-11-28T10:00:00.000Z' });
    expect(s.statements.testStatements.size).toBe(0);
    expect(s.statements.testCounts.size).toBe(0);
    expect(s.trail.entries.map((e) => [e.action, e.actor, e.details])).toEqual([
      [
        'go_live',
        ORGANISER,
        {
          registrationNumber: REGISTRATION,
          liveSince: '2026-11-28T10:00:00.000Z',
          testDataDeleted: { statements: 2, emails: 1, counters: 1 },
        },
      ],
    ]);
  });

  it('accepts the registration number typed in lower case or with surrounding spaces', async () => {
    const s = await setup();
    expect(await goLive(s.deps, ORGANISER, { confirm: '  eci(2026)000042 ' })).toEqual({ mode: 'live' });
  });

  it('refuses a wrong confirmation (422 wrong_confirmation): nothing changes, nothing is deleted or recorded', async () => {
    const s = await setup();

    await expect(goLive(s.deps, ORGANISER, { confirm: 'ECI(2026)000043' })).rejects.toBeInstanceOf(
      WrongConfirmationError,
    );
    expect(s.initiatives.lifecycle.mode).toBe('test');
    expect(s.wiper.calls).toBe(0);
    expect(s.statements.testStatements.size).toBe(2);
    expect(s.trail.entries).toEqual([]);
  });

  it('refuses a body without the confirmation with field errors', async () => {
    const s = await setup();
    await expect(goLive(s.deps, ORGANISER, {})).rejects.toBeInstanceOf(InvalidRequestError);
    expect(s.initiatives.replaceCalls).toBe(0);
  });

  it('answers a second go-live with already_live, recording nothing more (irreversible, one entry)', async () => {
    const s = await setup();
    await goLive(s.deps, ORGANISER, { confirm: REGISTRATION });

    await expect(goLive(s.deps, OTHER_ORGANISER, { confirm: REGISTRATION })).rejects.toBeInstanceOf(
      AlreadyLiveError,
    );
    await expect(goLive(s.deps, OTHER_ORGANISER, { confirm: 'wrong' })).rejects.toBeInstanceOf(
      AlreadyLiveError,
    );
    expect(s.trail.entries).toHaveLength(1);
    expect(s.wiper.calls).toBe(1);
  });

  it('answers a concurrent second request (a double click) with already_live while the first finishes', async () => {
    const s = await setup();
    let second: Promise<unknown> | undefined;
    const wipe = s.wiper.wipe.bind(s.wiper);
    s.wiper.wipe = async () => {
      second ??= goLive(s.deps, OTHER_ORGANISER, { confirm: REGISTRATION }).catch((e: unknown) => e);
      await second;
      return wipe();
    };

    await goLive(s.deps, ORGANISER, { confirm: REGISTRATION });

    expect(await second).toBeInstanceOf(AlreadyLiveError);
    expect(s.trail.entries.map((e) => e.actor)).toEqual([ORGANISER]);
  });

  it('leaves go-live pending when the wipe fails; once the lease ran out the next request finishes it', async () => {
    const s = await setup();
    s.wiper.failure = new DependencyUnavailableError('database');

    await expect(goLive(s.deps, ORGANISER, { confirm: REGISTRATION })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(s.initiatives.lifecycle).toMatchObject({ mode: 'live', testWipePending: true });
    expect(s.trail.entries).toEqual([]);

    // Within the lease the first request may still be at work: not taken over.
    await expect(goLive(s.deps, OTHER_ORGANISER, { confirm: REGISTRATION })).rejects.toBeInstanceOf(
      AlreadyLiveError,
    );
    s.clock.advance(GO_LIVE_LEASE_SECONDS * 1000);
    await expect(goLive(s.deps, OTHER_ORGANISER, { confirm: 'wrong' })).rejects.toBeInstanceOf(
      WrongConfirmationError,
    );
    expect(await goLive(s.deps, OTHER_ORGANISER, { confirm: REGISTRATION })).toEqual({ mode: 'live' });

    expect(s.initiatives.lifecycle).toEqual({ mode: 'live', liveSince: '2026-11-28T10:00:00.000Z' });
    expect(s.statements.testStatements.size).toBe(0);
    expect(s.trail.entries.map((e) => [e.action, e.actor, e.details.resumed])).toEqual([
      ['go_live', OTHER_ORGANISER, true],
    ]);
    await expect(goLive(s.deps, ORGANISER, { confirm: REGISTRATION })).rejects.toBeInstanceOf(
      AlreadyLiveError,
    );
  });

  it('finishes a go-live whose audit entry could not be written (the trail was down)', async () => {
    const s = await setup();
    s.trail.failNext(new DependencyUnavailableError('database'));

    await expect(goLive(s.deps, ORGANISER, { confirm: REGISTRATION })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    s.clock.advance(GO_LIVE_LEASE_SECONDS * 1000 + 1);
    await goLive(s.deps, ORGANISER, { confirm: REGISTRATION });

    expect(s.trail.entries.map((e) => e.action)).toEqual(['go_live']);
    expect(s.initiatives.lifecycle.testWipePending).toBeUndefined();
  });
});
