import { describe, expect, it, vi } from 'vitest';
import {
  AdminApi,
  AdminApiError,
  exportPath,
  FieldErrorsError,
  isSameOrganiser,
  LiveLockedError,
  UnauthenticatedError,
} from '../../../../web/src/lib/console/admin-api.ts';

/** The console's client of the organiser API: the bearer token, and how each contract answer is read. */

interface Call {
  method: string;
  path: string;
  headers: Headers;
  body?: unknown;
}

function fake(answers: ((call: Call) => Response)[]) {
  const calls: Call[] = [];
  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      method: init?.method ?? 'GET',
      path: String(input),
      headers: new Headers(init?.headers),
      ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}),
    };
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (!answer) throw new Error('no answer');
    return answer(call);
  };
  return { calls, fetch: fetchFn };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(answers: ((call: Call) => Response)[], token: string | null = 'tok-1') {
  const server = fake(answers);
  const onUnauthenticated = vi.fn();
  const api = new AdminApi({ token: () => token, onUnauthenticated, fetch: server.fetch });
  return { api, calls: server.calls, onUnauthenticated };
}

describe('AdminApi', () => {
  it('sends the access token as a bearer token and reads the answer', async () => {
    const { api, calls } = client([json(200, { email: 'ada@example.org', sub: 's-1' })]);
    expect(await api.me()).toEqual({ email: 'ada@example.org', sub: 's-1' });
    expect(calls[0]?.path).toBe('/api/admin/me');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer tok-1');
    expect(calls[0]?.headers.has('content-type')).toBe(false);
  });

  it('sends each state change to its contract route with its body', async () => {
    const { api, calls } = client([json(200, {})]);
    await api.goLive('ECI(2026)000001');
    await api.collection('pause');
    await api.recordSubmission('2027-01-31');
    await api.requestExport(['DE', 'FR']);
    await api.requestExport('all');
    await api.approveExport('ex/1');
    await api.downloadLink('ex-1', 'manifest');
    await api.requestEmailExport();
    await api.downloadLink('ex-2', 'emails');
    await api.exportDetails('ex-2');
    await api.withdraw('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(calls.map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body ?? null)}`)).toEqual([
      'POST /api/admin/go-live {"confirm":"ECI(2026)000001"}',
      'POST /api/admin/collection {"action":"pause"}',
      'POST /api/admin/submission {"date":"2027-01-31"}',
      'POST /api/admin/exports {"countries":["DE","FR"]}',
      'POST /api/admin/exports {"countries":"all"}',
      'POST /api/admin/exports/ex%2F1/approve null',
      'POST /api/admin/exports/ex-1/downloads {"file":"manifest"}',
      'POST /api/admin/email-exports {}',
      'POST /api/admin/exports/ex-2/downloads {"file":"emails"}',
      'GET /api/admin/exports/ex-2 null',
      'POST /api/admin/withdrawals {"receipt":"0f8fad5b-d9cb-469f-a165-70867728950e"}',
    ]);
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('turns a 401 into the end of the session', async () => {
    const { api, onUnauthenticated } = client([json(401, { error: { code: 'unauthenticated' } })]);
    await expect(api.dashboard()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it("treats API Gateway's own 401 body the same", async () => {
    const { api, onUnauthenticated } = client([json(401, { message: 'Unauthorized' })]);
    await expect(api.retention()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('sends nothing without a token', async () => {
    const { api, calls, onUnauthenticated } = client([json(200, {})], null);
    await expect(api.initiative()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(calls).toEqual([]);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('reads 422 field errors', async () => {
    const { api } = client([
      json(422, { errors: [{ field: 'content.en.title', code: 'required', message: 'Required.' }] }),
    ]);
    const error = await api.saveInitiative({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldErrorsError);
    expect((error as FieldErrorsError).errors).toEqual([
      { field: 'content.en.title', code: 'required', message: 'Required.' },
    ]);
  });

  it('reads a 422 wrong_confirmation in either of its shapes', async () => {
    const message = 'The confirmation does not match.';
    const { api } = client([
      json(422, {
        error: { code: 'wrong_confirmation', message },
        errors: [{ field: 'confirm', code: 'wrong_confirmation', message }],
      }),
      json(422, { error: { code: 'wrong_confirmation', message } }),
    ]);
    const both = await api.goLive('ECI(2026)000002').catch((e: unknown) => e);
    expect(both).toBeInstanceOf(FieldErrorsError);
    expect(both).toMatchObject({ status: 422, code: 'wrong_confirmation' });
    expect((both as FieldErrorsError).errors).toEqual([
      { field: 'confirm', code: 'wrong_confirmation', message },
    ]);
    const codeOnly = await api.goLive('ECI(2026)000002').catch((e: unknown) => e);
    expect(codeOnly).not.toBeInstanceOf(FieldErrorsError);
    expect(codeOnly).toMatchObject({ status: 422, code: 'wrong_confirmation', message });
  });

  it('reads a 409 live_locked with the registered facts it names', async () => {
    const { api } = client([
      json(409, {
        error: { code: 'live_locked', message: 'Locked.', fields: ['registrationDate', 42, 'id'] },
      }),
      json(409, { error: { code: 'live_locked' } }),
    ]);
    const error = await api.saveInitiative({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiveLockedError);
    expect(error).toMatchObject({ status: 409, code: 'live_locked', fields: ['registrationDate', 'id'] });
    await expect(api.saveInitiative({} as never)).rejects.toMatchObject({ fields: [] });
  });

  it("keeps the contract's error code", async () => {
    const { api } = client([
      json(403, { error: { code: 'same_organiser', message: 'Another organiser must approve.' } }),
    ]);
    const error = await api.approveExport('e').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 'same_organiser',
      message: 'Another organiser must approve.',
    });
  });

  it('names an error without a body by its status', async () => {
    const { api } = client([() => new Response('', { status: 404 })]);
    await expect(api.retention()).rejects.toMatchObject({ status: 404, code: 'http_404' });
  });

  it('reads the whole audit trail page by page', async () => {
    const entry = (seq: number) => ({ seq, hash: `h${seq}` });
    const { api, calls } = client([
      json(200, { entries: [entry(1), entry(2)], chainValid: true }),
      json(200, { entries: [entry(3)], chainValid: true }),
      json(200, { entries: [], chainValid: true }),
    ]);
    const trail = await api.audit();
    expect(trail.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(trail.chainValid).toBe(true);
    expect(calls.map((c) => c.path)).toEqual([
      '/api/admin/audit',
      '/api/admin/audit?after=2',
      '/api/admin/audit?after=3',
    ]);
  });

  it('stops on a page that brings nothing new, and reports any page that says the chain is broken', async () => {
    const { api, calls } = client([
      json(200, { entries: [{ seq: 1 }], chainValid: false }),
      json(200, { entries: [{ seq: 1 }], chainValid: true }),
    ]);
    const trail = await api.audit();
    expect(trail.entries).toHaveLength(1);
    expect(trail.chainValid).toBe(false);
    expect(calls).toHaveLength(2);
  });
});

describe('export paths and organisers', () => {
  it('takes the paths from the route table and encodes an export id as one path segment', () => {
    expect(exportPath('a b/c')).toBe('/api/admin/exports/a%20b%2Fc');
    expect(exportPath('x', 'downloads')).toBe('/api/admin/exports/x/downloads');
    expect(exportPath('x', 'approve')).toBe('/api/admin/exports/x/approve');
  });

  it('recognises the signed-in organiser by sub, as dual control does', () => {
    const me = { sub: 's-1', email: 'ada@example.org' };
    expect(isSameOrganiser({ sub: 's-1', email: 'ada@example.org' }, me)).toBe(true);
    // Another account with the same address is another organiser for the server too.
    expect(isSameOrganiser({ sub: 's-2', email: 'ada@example.org' }, me)).toBe(false);
    expect(isSameOrganiser(null, me)).toBe(false);
    expect(isSameOrganiser({ sub: 's-1', email: 'ada@example.org' }, null)).toBe(false);
  });
});
