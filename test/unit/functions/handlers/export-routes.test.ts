import { createApproveExportHandler } from '@ocs/functions/handlers/approve-export';
import { createCreateExportDownloadHandler } from '@ocs/functions/handlers/create-export-download';
import { createGetExportHandler } from '@ocs/functions/handlers/get-export';
import { createListExportsHandler } from '@ocs/functions/handlers/list-exports';
import { createRequestEmailExportHandler } from '@ocs/functions/handlers/request-email-export';
import { createRequestExportHandler } from '@ocs/functions/handlers/request-export';
import { type HandlerName, routeOf } from '@ocs/shared/contract/routes';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail, FakeSignInMarkerStore } from '../../../support/fake-audit-trail';
import {
  DiscardRecorder,
  InMemoryExportJobStore,
  RecordingLauncher,
  RecordingLinks,
} from '../../../support/fake-export-jobs';
import { FakeInitiativeStore } from '../../../support/fakes';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';
import { initiativeOpenAt } from '../support/data';

/** Two organisers, as the JWT authorizer passes their verified claims. */
const ANNA = { sub: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', email: 'organiser@example.org' };
const BRUNO = { sub: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', email: 'second.organiser@example.org' };

/** The admin fixture event, re-aimed at a route of the table, as `who`, with a body and path parameters. */
function adminEvent(
  handler: HandlerName,
  options: { who?: typeof ANNA | null; body?: unknown; id?: string } = {},
): APIGatewayProxyEventV2 {
  const route = routeOf(handler);
  const event = apiEvent('get-admin-me');
  const path = options.id === undefined ? route.path : route.path.replace('{id}', options.id);
  event.routeKey = `${route.method} ${route.path}`;
  event.rawPath = path;
  event.requestContext.http.method = route.method;
  event.requestContext.http.path = path;
  event.requestContext.routeKey = event.routeKey;
  if (options.id !== undefined) event.pathParameters = { id: options.id };
  if (options.body !== undefined) {
    event.body = JSON.stringify(options.body);
    event.headers['content-type'] = 'application/json';
  }
  const context = event.requestContext as { authorizer?: { jwt: { claims: Record<string, unknown> } } };
  if (options.who === null) delete context.authorizer;
  else if (options.who && context.authorizer) {
    context.authorizer.jwt.claims = { ...context.authorizer.jwt.claims, ...options.who };
  }
  return event;
}

let output: ReturnType<typeof captureOutput>;
let clock: ManualClock;
let jobs: InMemoryExportJobStore;
let trail: FakeAuditTrail;
let launcher: RecordingLauncher;
let links: RecordingLinks;
let handlers: ReturnType<typeof build>;

function build() {
  const audit = { trail, markers: new FakeSignInMarkerStore(), clock };
  const ports = { ...audit, jobs };
  return {
    requestExport: createRequestExportHandler(ports),
    requestEmailExport: createRequestEmailExportHandler({
      ...ports,
      initiatives: new FakeInitiativeStore(initiativeOpenAt(clock.now())),
    }),
    approveExport: createApproveExportHandler({ ...ports, launcher }),
    getExport: createGetExportHandler({ ...ports, sink: new DiscardRecorder() }),
    listExports: createListExportsHandler({ ...ports, sink: new DiscardRecorder() }),
    createExportDownload: createCreateExportDownloadHandler({ ...ports, links }),
  } as const;
}

beforeEach(() => {
  output = captureOutput();
  clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
  jobs = new InMemoryExportJobStore();
  trail = new FakeAuditTrail(clock);
  launcher = new RecordingLauncher();
  links = new RecordingLinks(() => clock.now());
  handlers = build();
});
afterEach(() => output.restore());

async function requested(countries: unknown = ['DE', 'PL']) {
  const res = await invoke(handlers.requestExport, adminEvent('requestExport', { body: { countries } }));
  expect(res.statusCode).toBe(202);
  return String(res.json().id);
}

describe('export routes over the fakes', () => {
  it('refuses every export route with 401 unauthenticated when no verified token reached it, and does nothing', async () => {
    for (const name of Object.keys(handlers) as (keyof typeof handlers)[]) {
      const res = await invoke(
        handlers[name],
        adminEvent(name, {
          who: null,
          body: { countries: 'all' },
          id: '20261202T090000000Z-00112233445566ff',
        }),
      );
      expect(res.statusCode, name).toBe(401);
      expect(res.json(), name).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    expect(jobs.jobs.size).toBe(0);
    expect(trail.entries).toEqual([]);
  });

  it('POST /api/admin/exports answers 202 with the requested export and who requested it', async () => {
    const res = await invoke(
      handlers.requestExport,
      adminEvent('requestExport', { body: { countries: 'all' } }),
    );
    expect(res.statusCode).toBe(202);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^20261202T090000000Z-[0-9a-f]{16}$/),
      state: 'requested',
      requestedBy: ANNA,
      approvedBy: null,
      countries: 'all',
      files: [],
      manifestSha256: null,
    });
    expect(trail.entries.map((e) => e.action)).toEqual(['sign_in', 'export_requested']);
  });

  it('POST /api/admin/exports answers 422 with the field errors, 415 without JSON', async () => {
    const bad = await invoke(
      handlers.requestExport,
      adminEvent('requestExport', { body: { countries: ['XX'] } }),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      errors: [{ field: 'countries', code: 'invalid_format', message: expect.any(String) }],
    });
    const event = adminEvent('requestExport', { body: { countries: 'all' } });
    event.headers['content-type'] = 'text/plain';
    expect((await invoke(handlers.requestExport, event)).statusCode).toBe(415);
    expect(jobs.jobs.size).toBe(0);
  });

  it('approve: 403 same_organiser for the requester, 200 for another organiser, then 409 invalid_state', async () => {
    const id = await requested();
    const self = await invoke(handlers.approveExport, adminEvent('approveExport', { id }));
    expect(self.statusCode).toBe(403);
    expect(self.json()).toEqual({ error: { code: 'same_organiser', message: expect.any(String) } });

    const ok = await invoke(handlers.approveExport, adminEvent('approveExport', { id, who: BRUNO }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, state: 'approved', approvedBy: BRUNO, requestedBy: ANNA });
    expect(launcher.launched).toEqual([{ id, kind: 'statements' }]);

    const again = await invoke(handlers.approveExport, adminEvent('approveExport', { id, who: BRUNO }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: { code: 'invalid_state', message: expect.any(String) } });
  });

  it('GET one export and the list (newest first); 404 not_found for an unknown id', async () => {
    const first = await requested();
    clock.advance(1000);
    const second = await requested('all');
    const one = await invoke(handlers.getExport, adminEvent('getExport', { id: first }));
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: first, state: 'requested', countries: ['DE', 'PL'] });
    const list = await invoke(handlers.listExports, adminEvent('listExports'));
    expect((list.json().exports as Array<{ id: string }>).map((e) => e.id)).toEqual([second, first]);
    for (const id of ['20261202T090000000Z-00000000000000ff', 'not-an-export']) {
      const missing = await invoke(handlers.getExport, adminEvent('getExport', { id }));
      expect(missing.statusCode, id).toBe(404);
      expect(missing.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('downloads: 409 before the export is done, then a link valid five minutes for an existing file, 422 for another', async () => {
    const id = await requested();
    const early = await invoke(
      handlers.createExportDownload,
      adminEvent('createExportDownload', { id, body: { file: 'DE' } }),
    );
    expect(early.statusCode).toBe(409);

    await invoke(handlers.approveExport, adminEvent('approveExport', { id, who: BRUNO }));
    await jobs.start(id, clock.now().toISOString());
    await jobs.complete(
      id,
      {
        files: [{ country: 'DE', statements: 1, bytes: 1, sha256: 'a'.repeat(64) }],
        manifestSha256: 'b'.repeat(64),
      },
      clock.now().toISOString(),
    );
    const link = await invoke(
      handlers.createExportDownload,
      adminEvent('createExportDownload', { id, who: BRUNO, body: { file: 'DE' } }),
    );
    expect(link.statusCode).toBe(200);
    expect(link.json()).toEqual({
      url: `https://links.test/${id}/DE.xml?ttl=300`,
      expiresAt: '2026-12-02T09:05:00.000Z',
    });
    const other = await invoke(
      handlers.createExportDownload,
      adminEvent('createExportDownload', { id, body: { file: 'PL' } }),
    );
    expect(other.statusCode).toBe(422);
    expect(trail.entries.filter((e) => e.action === 'export_downloaded').map((e) => e.actor.sub)).toEqual([
      BRUNO.sub,
    ]);
  });

  it('POST /api/admin/email-exports answers 202 with an e-mail export (no body needed)', async () => {
    const res = await invoke(handlers.requestEmailExport, adminEvent('requestEmailExport'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'emails', state: 'requested', countries: null, emails: null });
    expect(trail.entries.at(-1)?.action).toBe('email_export_requested');
  });

  it('never writes an organiser’s e-mail address into the log', async () => {
    const id = await requested();
    await invoke(handlers.approveExport, adminEvent('approveExport', { id, who: BRUNO }));
    await invoke(handlers.listExports, adminEvent('listExports'));
    expect(output.text()).toContain('POST /api/admin/exports/{id}/approve');
    expect(output.text()).not.toContain('example.org');
  });
});
