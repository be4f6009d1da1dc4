import { createGetMeHandler } from '@ocs/functions/handlers/get-me';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail, FakeSignInMarkerStore } from '../../../support/fake-audit-trail';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';

/** GET /api/admin/me reads the organiser from the claims the JWT authorizer verified (Cognito shape). */
describe('GET /api/admin/me handler', () => {
  let output: ReturnType<typeof captureOutput>;
  let trail: FakeAuditTrail;
  let markers: FakeSignInMarkerStore;
  let handler: ReturnType<typeof createGetMeHandler>;
  beforeEach(() => {
    output = captureOutput();
    const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
    trail = new FakeAuditTrail(clock);
    markers = new FakeSignInMarkerStore();
    handler = createGetMeHandler({ trail, markers, clock });
  });
  afterEach(() => output.restore());

  it('answers the e-mail and sub of the verified access token, never cached', async () => {
    const res = await invoke(handler, apiEvent('get-admin-me'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      email: 'organiser@example.org',
      sub: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("records the session's sign-in in the audit trail once, on its first request", async () => {
    await invoke(handler, apiEvent('get-admin-me'));
    await invoke(handler, apiEvent('get-admin-me'));

    expect(trail.entries.map((e) => [e.action, e.actor])).toEqual([
      ['sign_in', { sub: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', email: 'organiser@example.org' }],
    ]);
  });

  it('answers 503 and nothing else when the sign-in cannot be recorded (no unaudited session)', async () => {
    trail.failNext(new DependencyUnavailableError('database', { cause: new Error('down') }));
    const res = await invoke(handler, apiEvent('get-admin-me'));
    expect(res.statusCode).toBe(503);
    expect(trail.entries).toEqual([]);
  });

  it('refuses with 401 unauthenticated when no authorizer context reached it (a route wired without the authorizer)', async () => {
    const event = apiEvent('get-admin-me');
    const context = event.requestContext as { authorizer?: unknown };
    delete context.authorizer;
    const res = await invoke(handler, event);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(trail.entries).toEqual([]);
  });

  it('never writes the e-mail address into the log', async () => {
    await invoke(handler, apiEvent('get-admin-me'));
    expect(output.text()).toContain('GET /api/admin/me');
    expect(output.text()).not.toContain('organiser@example.org');
  });
});
