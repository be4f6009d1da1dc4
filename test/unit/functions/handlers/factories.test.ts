import { randomBytes } from 'node:crypto';
import { createGetChallengeHandler } from '@ocs/functions/handlers/get-challenge';
import { createGetInitiativeHandler } from '@ocs/functions/handlers/get-initiative';
import { createGetProgressHandler } from '@ocs/functions/handlers/get-progress';
import {
  createSubmitStatementHandler,
  type SubmitStatementPorts,
} from '@ocs/functions/handlers/submit-statement';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import {
  FakeChallengeService,
  FakeInitiativeStore,
  FakeKeyProvider,
  FakeProgressStore,
  InMemoryDataKeyStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
} from '../../../support/fakes';
import { apiEvent, captureOutput, invoke, postStatement } from '../../../support/lambda';
import { initiativeOpenAt, partBBody } from '../support/data';

/** The real handlers, composed from their factories over the in-memory fakes (no SDK at all). */

const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));

function submitPorts(overrides: Partial<SubmitStatementPorts> = {}) {
  const statements = new InMemoryStatementStore();
  const keyProvider = new FakeKeyProvider();
  let secretLoads = 0;
  const ports: SubmitStatementPorts = {
    initiativeId: 'clean-rivers',
    initiatives: new FakeInitiativeStore(initiativeOpenAt(clock.now())),
    replay: new InMemoryReplayStore(),
    statements,
    dataKeys: new InMemoryDataKeyStore(),
    keyProvider,
    clock,
    newId: () => '11111111-1111-4111-8111-111111111111',
    secrets: async () => {
      secretLoads += 1;
      return { dedupSecret: new Uint8Array(randomBytes(32)), challenges: new FakeChallengeService() };
    },
    ...overrides,
  };
  return { ports, statements, keyProvider, secretLoads: () => secretLoads };
}

describe('handler factories over the fakes', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('POST /api/statements stores, counts and answers 201, then 200 for the retry; secrets load once', async () => {
    const s = submitPorts();
    const handler = createSubmitStatementHandler(s.ports);

    const first = await invoke(handler, postStatement(partBBody()));
    const retry = await invoke(handler, postStatement(partBBody()));

    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      receipt: '11111111-1111-4111-8111-111111111111',
      submittedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    // A new initiative is in test mode: a test statement, counted apart.
    expect(s.statements.testCounts.get('PL')).toBe(1);
    expect(s.keyProvider.contexts).toEqual([{ initiative: 'clean-rivers', purpose: 'statement-data' }]);
    expect(s.secretLoads()).toBe(1);
    expect(output.text()).toContain('"route":"POST /api/statements"');
  });

  it('POST /api/statements answers 503 while the secrets cannot be loaded, and loads them again next time', async () => {
    let fail = true;
    const s = submitPorts();
    const handler = createSubmitStatementHandler({
      ...s.ports,
      secrets: async () => {
        if (fail) throw new DependencyUnavailableError('secrets');
        return s.ports.secrets();
      },
    });

    const during = await invoke(handler, postStatement(partBBody()));
    fail = false;
    const after = await invoke(handler, postStatement(partBBody()));

    expect(during.statusCode).toBe(503);
    expect(after.statusCode).toBe(201);
  });

  it('GET /api/initiative answers the public facts, cacheable for 60 s', async () => {
    const handler = createGetInitiativeHandler({
      initiatives: new FakeInitiativeStore(initiativeOpenAt(clock.now())),
      clock,
    });

    const res = await invoke(handler, apiEvent('get-initiative'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.json()).toMatchObject({
      registrationNumber: 'ECI(2026)000042',
      collection: { status: 'open' },
    });
  });

  it('GET /api/progress sums the counts of the progress store', async () => {
    const handler = createGetProgressHandler({
      initiatives: new FakeInitiativeStore(initiativeOpenAt(clock.now())),
      progress: new FakeProgressStore().add('test', '2026-11-28', { PL: 3, DE: 2 }),
      clock,
    });

    const res = await invoke(handler, apiEvent('get-progress'));

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 5, updatedAt: '2026-11-28T10:00:00.000Z' });
  });

  it('GET /api/challenge answers what the challenge service creates, never cached', async () => {
    const handler = createGetChallengeHandler({ challenges: async () => new FakeChallengeService() });

    const res = await invoke(handler, apiEvent('get-challenge'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ parameters: { algorithm: 'SHA-256' }, signature: 'fake' });
  });
});
