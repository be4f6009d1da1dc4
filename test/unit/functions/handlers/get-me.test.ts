import { createGetMeHandler } from '@ocs/functions/handlers/get-me';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';

/** GET /api/admin/me reads the organiser from the claims the JWT authorizer verified (Cognito shape). */
describe('GET /api/admin/me handler', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('answers the e-mail and sub of the verified access token, never cached', async () => {
    const res = await invoke(createGetMeHandler(), apiEvent('get-admin-me'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      email: 'organiser@example.org',
      sub: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses with 401 unauthenticated when no authorizer context reached it (a route wired without the authorizer)', async () => {
    const event = apiEvent('get-admin-me');
    const context = event.requestContext as { authorizer?: unknown };
    delete context.authorizer;
    const res = await invoke(createGetMeHandler(), event);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('never writes the e-mail address into the log', async () => {
    await invoke(createGetMeHandler(), apiEvent('get-admin-me'));
    expect(output.text()).toContain('GET /api/admin/me');
    expect(output.text()).not.toContain('organiser@example.org');
  });
});
