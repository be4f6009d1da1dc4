import { createWithdrawStatementHandler } from '@ocs/functions/handlers/withdraw-statement';
import { LatencyPadding } from '@ocs/functions/use-cases/latency-padding';
import { CITIZEN_ACTOR } from '@ocs/shared/audit';
import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import {
  FakeChallengeService,
  FakeWithdrawalStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
} from '../../../support/fakes';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';

const RECEIPT = '11111111-1111-4111-8111-111111111111';
const OTHER = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** The fixture POST event, on the withdrawal route, with a JSON body of our choosing. */
function postWithdrawal(body: unknown): APIGatewayProxyEventV2 {
  const route = routeOf('withdrawStatement');
  const event = apiEvent('post-statement', { body: JSON.stringify(body) });
  event.routeKey = routeKey(route);
  event.rawPath = route.path;
  event.requestContext.routeKey = routeKey(route);
  event.requestContext.http = { ...event.requestContext.http, path: route.path };
  return event;
}

function system() {
  const clock = new ManualClock();
  const statements = new InMemoryStatementStore();
  statements.statements.set('a'.repeat(64), {
    dedupKey: 'a'.repeat(64),
    statementId: RECEIPT,
    submissionId: 'sub-1',
    country: 'PL',
    annexRevision: 1,
    submittedAt: '2026-11-28T09:00:00.000Z',
    personalData: { dataKeyRef: 'k', context: {}, iv: new Uint8Array(12), ciphertext: new Uint8Array(16) },
    expiresAtEpochSeconds: 1_848_873_600,
    mode: 'live',
    countDay: '2026-11-28',
  });
  statements.counts.set('PL', 1);
  const trail = new FakeAuditTrail(clock);
  const challenges = new FakeChallengeService();
  let loads = 0;
  let secretFails = false;
  let ids = 0;
  const handler = createWithdrawStatementHandler({
    withdrawals: new FakeWithdrawalStore(statements),
    trail,
    replay: new InMemoryReplayStore(),
    challenges: async () => {
      loads += 1;
      if (secretFails) throw new DependencyUnavailableError('secrets');
      return challenges;
    },
    newId: () => `claim-${++ids}`,
    padding: new LatencyPadding({ sleep: async () => {} }),
  });
  return {
    statements,
    trail,
    challenges,
    handler,
    loads: () => loads,
    failSecret: (fail: boolean) => {
      secretFails = fail;
    },
  };
}

describe('POST /api/withdrawals', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('answers 200 {"status":"done"} with the same headers and bytes whether or not the receipt matched', async () => {
    const s = system();

    const hit = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT, altcha: 'p1' }));
    s.challenges.result = { ok: true, challengeId: 'another', expiresAtEpochSeconds: 1_795_860_600 };
    const miss = await invoke(s.handler, postWithdrawal({ receipt: OTHER, altcha: 'p2' }));

    expect(hit.statusCode).toBe(200);
    expect(hit.body).toBe('{"status":"done"}');
    expect(hit.headers['cache-control']).toBe('no-store');
    expect({ status: miss.statusCode, headers: miss.headers, body: miss.body }).toEqual({
      status: hit.statusCode,
      headers: hit.headers,
      body: hit.body,
    });
    expect(s.statements.counts.get('PL')).toBe(0);
    expect(s.trail.entries.map((e) => [e.actor, e.action, e.details])).toEqual([
      [CITIZEN_ACTOR, 'withdrawal', {}],
      [CITIZEN_ACTOR, 'withdrawal', {}],
    ]);
    // The access log names the route and the status, never the receipt.
    expect(output.text()).toContain('"route":"POST /api/withdrawals"');
    expect(output.text()).not.toContain(RECEIPT);
    expect(output.text()).not.toContain(OTHER);
  });

  it('answers 403 challenge_failed without a proof of work, or with one already used', async () => {
    const s = system();

    const missing = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT }));
    await invoke(s.handler, postWithdrawal({ receipt: OTHER, altcha: 'p' }));
    const reused = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT, altcha: 'p' }));

    for (const res of [missing, reused]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'challenge_failed', message: expect.any(String) } });
    }
    expect(s.statements.counts.get('PL')).toBe(1);
  });

  it('answers 422 on a malformed receipt or an unknown field, 400 on a body that is not JSON', async () => {
    const s = system();

    const malformed = await invoke(s.handler, postWithdrawal({ receipt: 'abc', altcha: 'p' }));
    const unknown = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT, altcha: 'p', name: 'x' }));
    const notJson = postWithdrawal({});
    notJson.body = '{"receipt":';

    expect(malformed.statusCode).toBe(422);
    expect(malformed.json()).toEqual({
      errors: [{ field: 'receipt', code: 'invalid_format', message: expect.any(String) }],
    });
    expect(unknown.statusCode).toBe(422);
    expect((await invoke(s.handler, notJson)).statusCode).toBe(400);
    expect(s.trail.entries).toEqual([]);
  });

  it('answers 503 while the challenge secret cannot be loaded, and loads it again next time', async () => {
    const s = system();
    s.failSecret(true);

    const down = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT, altcha: 'p' }));
    s.failSecret(false);
    const up = await invoke(s.handler, postWithdrawal({ receipt: RECEIPT, altcha: 'p' }));

    expect(down.statusCode).toBe(503);
    expect(up.statusCode).toBe(200);
    expect(s.loads()).toBe(2);
  });
});
