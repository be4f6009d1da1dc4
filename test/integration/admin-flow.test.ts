import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { addMonths, brusselsDate } from '@ocs/shared/initiative';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, type SignedInOrganiser, signedInOrganiser } from '../support/admin';
import { fetchAndSolve } from '../support/altcha';
import { getJson, postStatement, progress, signRecorded } from '../support/api';
import { germanCitizen, polishCitizen, recordPersonalValues, word } from '../support/citizens';
import { type RunningServer, startOwnSystem } from '../support/local-server';
import { localDynamo, scanAll } from '../support/table';
import { personalValues, privacyVerdict, scanLog, scanTable } from './privacy-scan';

/**
 * The organisers' whole flow against a local system of its own (go-live is irreversible, so the
 * shared system of the other suites is not the place): a real organiser signs in through the
 * local OpenID provider, edits the initiative, tries the sign flow in test mode, goes live,
 * collects, pauses and opens, records the submission, and reads the audit trail. The server keeps
 * no initiative in memory (OCS_INITIATIVE_CACHE_SECONDS=0), so a pause applies at once.
 */
const TABLE = 'ocs-local';
const NEW_ROUTES = [
  ['GET', '/api/admin/initiative'],
  ['PUT', '/api/admin/initiative'],
  ['POST', '/api/admin/go-live'],
  ['POST', '/api/admin/collection'],
  ['POST', '/api/admin/submission'],
  ['GET', '/api/admin/dashboard'],
  ['GET', '/api/admin/audit'],
] as const;

let server: RunningServer;
let db: DynamoDBClient;
let valuesFile: string;
let organiser: SignedInOrganiser;
let stored: Record<string, unknown>;
let registrationNumber: string;
const today = () => brusselsDate(new Date());

const items = async () => scanAll(db, TABLE);
const family = async (prefix: string) => (await items()).filter((i) => i.pk?.S?.startsWith(prefix));

beforeAll(async () => {
  ({ server, valuesFile } = await startOwnSystem('admin-flow'));
  db = localDynamo(server.dynamoEndpoint);
  organiser = await signedInOrganiser(server.baseUrl, server.dataDir);
});

afterAll(async () => {
  // This system's own privacy scan: every personal value sent, in no log line and no raw item.
  const values = personalValues(valuesFile);
  const table = await scanTable(db, TABLE, values);
  db.destroy();
  await server.stop('SIGTERM');
  console.log(privacyVerdict(values, table, scanLog(server.logFile, values)));
});

describe('the organisers flow on a system of its own', () => {
  it('refuses every new route without a token, or with a malformed one, with 401 unauthenticated', async () => {
    for (const [method, path] of NEW_ROUTES) {
      for (const token of [null, 'not-a-token']) {
        const res = await adminCall(server.baseUrl, token, method, path, method === 'GET' ? undefined : {});
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      }
    }
  });

  it('GET /api/admin/initiative: the demo initiative, in test mode, open, its destruction 21 months after the start', async () => {
    const res = await organiser.call('GET', '/api/admin/initiative');

    expect(res.status).toBe(200);
    const initiative = res.body.initiative as {
      registrationNumber: string;
      collection: { start: string; enabled: boolean };
    };
    expect(res.body).toMatchObject({ mode: 'test', status: 'open', submittedOn: null });
    expect(initiative.collection.enabled).toBe(true);
    expect(res.body.destruction).toEqual({
      deadline: addMonths(initiative.collection.start, 21),
      rule: 'collection_start_plus_21_months',
    });
    stored = res.body.initiative as Record<string, unknown>;
    registrationNumber = initiative.registrationNumber;
    expect((await getJson(server.baseUrl, '/api/initiative')).body).toMatchObject({ mode: 'test' });
  });

  it('PUT /api/admin/initiative refuses an invalid initiative with field errors next to their fields, changing nothing', async () => {
    const content = stored.content as Record<string, Record<string, string>>;
    const res = await organiser.call('PUT', '/api/admin/initiative', {
      ...stored,
      registerUrl: 'http://not-https.example.org',
      content: { ...content, en: { ...content.en, title: '' } },
    });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'content.en.title', code: 'required', message: expect.any(String) },
        { field: 'registerUrl', code: 'invalid_format', message: expect.any(String) },
      ]),
    );
    expect((await organiser.call('GET', '/api/admin/initiative')).body.initiative).toEqual(stored);
  });

  it('PUT /api/admin/initiative replaces it: the contact persons get their e-mail addresses, the title changes', async () => {
    const content = stored.content as Record<string, Record<string, string>>;
    const organisers = (stored.organisers as Record<string, string>[]).map((o) =>
      o.role === 'member' ? o : { ...o, email: `${o.role}@example.org` },
    );
    const next = {
      ...stored,
      organisers,
      content: { ...content, en: { ...content.en, title: 'Clean Rivers (edited)' } },
    };

    const res = await organiser.call('PUT', '/api/admin/initiative', next);

    expect(res.status).toBe(200);
    expect(res.body.initiative).toEqual(next);
    stored = next;
    const pub = (await getJson(server.baseUrl, '/api/initiative')).body as {
      content: { en: { title: string } };
    };
    expect(pub.content.en.title).toBe('Clean Rivers (edited)');
    expect(JSON.stringify(pub)).not.toContain('representative@example.org');
  });

  it('accepts statements in test mode as test statements (T#, CT#, ET#), counted in the progress and the dashboard', async () => {
    const email = `${word(10)}@example.org`;
    const citizens = [germanCitizen(), { ...polishCitizen(), email, emailConsent: true }];
    for (const citizen of citizens)
      expect((await signRecorded(server.baseUrl, valuesFile, citizen)).status).toBe(201);

    expect((await progress(server.baseUrl)).total).toBe(2);
    expect(await family('S#')).toEqual([]);
    const tests = await family('T#');
    expect(tests).toHaveLength(2);
    for (const item of tests) {
      expect(item.mode?.S).toBe('test');
      expect(item.cday?.S).toBe(today());
      expect(Number(item.cshard?.N)).toBeGreaterThanOrEqual(0);
    }
    expect(await family('ET#')).toHaveLength(1);
    const counters = await family('CT#');
    expect(counters.every((c) => c.sk?.S === today())).toBe(true);
    expect(counters.reduce((n, c) => n + Number(c.DE?.N ?? 0) + Number(c.PL?.N ?? 0), 0)).toBe(2);

    const dashboard = await organiser.call('GET', '/api/admin/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body).toMatchObject({
      total: 2,
      byCountry: { DE: 1, PL: 1, FR: 0 },
      countriesAtThreshold: 0,
      daily: [{ date: today(), count: 2 }],
    });
  });

  it('goes live: a wrong confirmation is refused (422), the right one deletes the test statements and their counts; a second go-live is 409', async () => {
    const wrong = await organiser.call('POST', '/api/admin/go-live', { confirm: 'ECI(1999)000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ error: { code: 'wrong_confirmation' } });
    expect((await family('T#')).length).toBe(2);

    const live = await organiser.call('POST', '/api/admin/go-live', { confirm: registrationNumber });
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ mode: 'live' });

    expect((await progress(server.baseUrl)).total).toBe(0);
    for (const prefix of ['T#', 'ET#', 'CT#']) expect(await family(prefix), prefix).toEqual([]);
    expect((await getJson(server.baseUrl, '/api/initiative')).body).toMatchObject({ mode: 'live' });
    expect((await organiser.call('GET', '/api/admin/initiative')).body.mode).toBe('live');

    const again = await organiser.call('POST', '/api/admin/go-live', { confirm: registrationNumber });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'already_live' } });
  });

  it('locks the registered facts after go-live (409 live_locked); the rest still changes', async () => {
    const locked = await organiser.call('PUT', '/api/admin/initiative', {
      ...stored,
      registrationNumber: 'ECI(2026)000999',
    });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ error: { code: 'live_locked', fields: ['registrationNumber'] } });

    const allowed = await organiser.call('PUT', '/api/admin/initiative', {
      ...stored,
      partialRegistration: 'Only the first objective is registered.',
    });
    expect(allowed.status).toBe(200);
    stored = allowed.body.initiative as Record<string, unknown>;
  });

  it('collects live statements (S#, counted under today), seen by the progress and the dashboard', async () => {
    expect((await signRecorded(server.baseUrl, valuesFile, polishCitizen())).status).toBe(201);

    expect((await progress(server.baseUrl)).total).toBe(1);
    const [statement] = await family('S#');
    expect(statement?.mode).toBeUndefined();
    expect(statement?.cday?.S).toBe(today());
    const counter = (await family(`C#${statement?.cshard?.N}`)).find((c) => c.sk?.S === today());
    expect(counter?.PL?.N).toBe('1');

    const dashboard = await organiser.call('GET', '/api/admin/dashboard');
    expect(dashboard.body).toMatchObject({
      total: 1,
      byCountry: { PL: 1, DE: 0 },
      daily: [{ date: today(), count: 1 }],
    });
    expect(Object.keys(dashboard.body.byCountry as object)).toHaveLength(27);
  });

  it('pauses (citizens get 403 collection_not_open) and opens again', async () => {
    const pause = await organiser.call('POST', '/api/admin/collection', { action: 'pause' });
    expect(pause.status).toBe(200);
    expect(pause.body).toEqual({ status: 'paused' });
    expect((await getJson(server.baseUrl, '/api/initiative')).body).toMatchObject({
      collection: { status: 'closed' },
    });

    const citizen = germanCitizen();
    recordPersonalValues(valuesFile, citizen);
    const refused = await postStatement(server.baseUrl, {
      ...citizen,
      altcha: await fetchAndSolve(server.baseUrl),
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'collection_not_open' } });

    expect((await organiser.call('POST', '/api/admin/collection', { action: 'pause' })).body).toEqual({
      status: 'paused',
    });
    const open = await organiser.call('POST', '/api/admin/collection', { action: 'open' });
    expect(open.body).toEqual({ status: 'open' });
    expect((await signRecorded(server.baseUrl, valuesFile, germanCitizen())).status).toBe(201);
    expect((await progress(server.baseUrl)).total).toBe(2);
  });

  it('records the submission date: the destruction deadline moves to one month after it', async () => {
    const res = await organiser.call('POST', '/api/admin/submission', { date: today() });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      submittedOn: today(),
      destruction: { deadline: addMonths(today(), 1), rule: 'submission_plus_1_month' },
    });
    const future = await organiser.call('POST', '/api/admin/submission', { date: addMonths(today(), 1) });
    expect(future.status).toBe(422);
    expect(future.body).toEqual({
      errors: [{ field: 'date', code: 'invalid_date', message: expect.any(String) }],
    });
  });

  it('lists every action in the audit trail, the chain valid; `after` pages it', async () => {
    const res = await organiser.call('GET', '/api/admin/audit');

    expect(res.status).toBe(200);
    expect(res.body.chainValid).toBe(true);
    const entries = res.body.entries as {
      seq: number;
      action: string;
      actor: { email: string };
      details: Record<string, unknown>;
    }[];
    expect(entries.map((e) => e.action)).toEqual([
      'sign_in',
      'initiative_updated',
      'go_live',
      'initiative_updated',
      'collection_paused',
      'collection_opened',
      'submission_recorded',
    ]);
    expect(entries.every((e) => e.actor.email === organiser.email)).toBe(true);
    expect(entries[1]?.details.changedFields).toEqual(['content.en.title', 'organisers']);
    expect(entries[2]?.details).toMatchObject({
      registrationNumber,
      testDataDeleted: { statements: 2, emails: 1, counters: expect.any(Number) },
    });
    expect(JSON.stringify(entries)).not.toContain('Clean Rivers (edited)');

    const page = await organiser.call('GET', `/api/admin/audit?after=${entries[4]?.seq}`);
    expect((page.body.entries as { action: string }[]).map((e) => e.action)).toEqual([
      'collection_opened',
      'submission_recorded',
    ]);
    expect(page.body.chainValid).toBe(true);
  });
});
