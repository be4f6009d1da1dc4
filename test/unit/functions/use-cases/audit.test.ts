import {
  actorFromClaims,
  listAudit,
  recordAction,
  recordSignInOnce,
  SIGN_IN_MARKER_TTL_SECONDS,
  sessionOf,
} from '@ocs/functions/use-cases/audit';
import { type AuditEntry, SYSTEM_ACTOR, verifyChain } from '@ocs/shared/audit';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { describe, expect, it } from 'vitest';
import { ORGANISER } from '../../../support/audit-chain';
import { FakeAuditTrail, FakeSignInMarkerStore } from '../../../support/fake-audit-trail';

const NOW = Date.parse('2026-05-01T09:00:00.000Z');
const clock = { now: () => new Date(NOW) };
const AUTH_TIME = NOW / 1000 - 30;

/** Claims as API Gateway's JWT authorizer hands them over (numbers as strings). */
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: ORGANISER.sub,
  email: ORGANISER.email,
  scope: 'ocs/admin',
  auth_time: String(AUTH_TIME),
  iat: String(AUTH_TIME + 10),
  ...extra,
});

describe('actorFromClaims', () => {
  it('takes sub and email from the token', () => {
    expect(actorFromClaims(claims())).toEqual(ORGANISER);
  });

  it('records a null e-mail when the token has none, and refuses a token without sub', () => {
    expect(actorFromClaims({ sub: 'abc' })).toEqual({ sub: 'abc', email: null });
    expect(() => actorFromClaims({ email: 'ana@example.org' })).toThrow(TypeError);
    expect(() => actorFromClaims({ sub: '' })).toThrow(TypeError);
  });
});

describe('recordAction', () => {
  it('appends the action to the trail', async () => {
    const trail = new FakeAuditTrail(clock);

    const entry = await recordAction(trail, ORGANISER, 'collection_opened');
    await recordAction(trail, SYSTEM_ACTOR, 'destruction', { statementsDestroyed: 12 });

    expect(entry).toMatchObject({ seq: 1, actor: ORGANISER, action: 'collection_opened', details: {} });
    expect(trail.entries.map((e) => e.action)).toEqual(['collection_opened', 'destruction']);
    expect(await verifyChain(trail.entries)).toMatchObject({ valid: true, count: 2 });
  });

  it.each([
    [{ familyNames: 'Muster' }, 'familyNames'],
    [{ export: { rows: [{ documentNumber: 'X' }] } }, 'export.rows.0.documentNumber'],
    [{ receipt: '3f1c…' }, 'receipt'],
  ])('refuses details that carry signatory data (%o) and writes nothing', async (details, path) => {
    const trail = new FakeAuditTrail(clock);

    await expect(recordAction(trail, ORGANISER, 'withdrawal', details)).rejects.toThrow(`found '${path}'`);
    expect(trail.entries).toHaveLength(0);
  });
});

describe('sessionOf', () => {
  it('prefers sid, then auth_time, then iat', () => {
    expect(sessionOf({ sid: 's-1', auth_time: 1700000000 })).toEqual({
      key: 'sid:s-1',
      authTime: 1700000000,
    });
    expect(sessionOf({ auth_time: '1700000000', iat: 1700000100 })).toEqual({
      key: 'auth_time:1700000000',
      authTime: 1700000000,
    });
    expect(sessionOf({ iat: 1700000100 })).toEqual({ key: 'iat:1700000100' });
    expect(() => sessionOf({ auth_time: 'soon' })).toThrow(TypeError);
  });
});

describe('recordSignInOnce', () => {
  const deps = () => ({ trail: new FakeAuditTrail(clock), markers: new FakeSignInMarkerStore(), clock });

  it('records sign_in on the first request of a session, with the time of authentication', async () => {
    const d = deps();

    const result = await recordSignInOnce(d, claims());

    expect(result).toMatchObject({
      recorded: true,
      entry: {
        seq: 1,
        action: 'sign_in',
        actor: ORGANISER,
        details: { authTime: new Date(AUTH_TIME * 1000).toISOString() },
      },
    });
    expect([...d.markers.markers.values()]).toEqual([
      { recorded: true, heldUntil: 0, expiresAt: NOW / 1000 + SIGN_IN_MARKER_TTL_SECONDS },
    ]);
  });

  it('records it once for every request of the same session, concurrent ones included', async () => {
    const d = deps();

    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => recordSignInOnce(d, claims({ iat: String(AUTH_TIME + i * 3600) }))),
    );

    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    expect(d.trail.entries).toHaveLength(1);
  });

  it('records a new session of the same organiser, and another organiser, again', async () => {
    const d = deps();
    await recordSignInOnce(d, claims());
    await recordSignInOnce(d, claims({ auth_time: String(AUTH_TIME + 7200) }));
    await recordSignInOnce(d, claims({ sub: 'other-sub', email: 'ben@example.org' }));

    expect(d.trail.entries.map((e) => e.actor.sub)).toEqual([ORGANISER.sub, ORGANISER.sub, 'other-sub']);
  });

  it('releases the marker when the append fails, so a later request records the sign-in', async () => {
    const d = deps();
    d.trail.failNext(new DependencyUnavailableError('database'));

    await expect(recordSignInOnce(d, claims())).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(d.markers.releases).toBe(1);
    expect(await recordSignInOnce(d, claims())).toMatchObject({ recorded: true });
    expect(d.trail.entries).toHaveLength(1);
  });

  it('takes over a claim whose writer died, once the hold has passed', async () => {
    const d = deps();
    const session = `auth_time:${AUTH_TIME}`;
    await d.markers.claim(ORGANISER.sub, session, {
      now: NOW / 1000 - 61,
      holdUntil: NOW / 1000 - 1,
      expiresAt: 0,
    });

    expect(await recordSignInOnce(d, claims())).toMatchObject({ recorded: true });
  });

  it('still succeeds when confirming the marker fails after the entry was written', async () => {
    const d = deps();
    d.markers.confirm = async () => {
      throw new DependencyUnavailableError('database');
    };

    expect(await recordSignInOnce(d, claims())).toMatchObject({ recorded: true });
    expect(d.trail.entries).toHaveLength(1);
  });

  it('keeps the append failure when releasing the marker fails too', async () => {
    const d = deps();
    d.trail.failNext(new DependencyUnavailableError('database'));
    d.markers.release = async () => {
      throw new Error('release failed');
    };

    await expect(recordSignInOnce(d, claims())).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('listAudit', () => {
  it('answers the entries after a seq and the validity of the whole chain', async () => {
    const trail = new FakeAuditTrail(clock);
    for (const action of ['sign_in', 'go_live', 'collection_opened'] as const)
      await recordAction(trail, ORGANISER, action);

    expect(await listAudit(trail)).toEqual({ entries: trail.entries, chainValid: true });
    const page = await listAudit(trail, 2);
    expect(page.entries.map((e) => e.seq)).toEqual([3]);
    expect(page.chainValid).toBe(true);
  });

  it('reports a tampered entry before the page as an invalid chain', async () => {
    const trail = new FakeAuditTrail(clock);
    for (const action of ['sign_in', 'go_live', 'collection_opened'] as const)
      await recordAction(trail, ORGANISER, action);
    trail.entries[0] = { ...(trail.entries[0] as AuditEntry), action: 'collection_paused' };

    expect(await listAudit(trail, 2)).toMatchObject({ chainValid: false, entries: [{ seq: 3 }] });
  });
});
