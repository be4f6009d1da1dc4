import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { DynamoAuditTrail } from '@ocs/functions/adapters/dynamo-audit-trail.adapter';
import { DynamoExportJobStore } from '@ocs/functions/adapters/dynamo-export-job-store.adapter';
import { listAudit } from '@ocs/functions/use-cases/audit';
import { type MemberStateCode, routeOf } from '@ocs/shared';
import type { ExportView } from '@ocs/shared/contract/exports-api';
import type { ExportManifest } from '@ocs/shared/export';
import { exportJobId } from '@ocs/shared/export-job';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { VALID_STATEMENTS } from '../fixtures/rulebook/statements';
import { signRecorded } from '../support/api';
import { germanCitizen, polishCitizen, type TestStatement, word } from '../support/citizens';
import { parseSupportForm } from '../support/export-xml';
import { adminCall, newOrganiserSession, type OrganiserSession } from '../support/organiser';
import { localDynamo } from '../support/table';
import { xsdErrors } from '../unit/functions/export/support';

/**
 * Exports end to end against the running local system: two organisers signed in through the
 * local OpenID provider, statements signed through the citizen API, an export requested by one and
 * approved by the other, run by the server in the background (the same runner as the export
 * function in AWS), every file downloaded once through its single-use link and checked against the
 * manifest's SHA-256 and the XSD, and the audit trail.
 */
const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const dynamoEndpoint = inject('dynamoEndpoint');
const tableName = inject('tableName');
const valuesFile = inject('personalValuesFile');

const record = (...values: string[]) => appendFileSync(valuesFile, `${JSON.stringify(values)}\n`);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const COUNTRIES: MemberStateCode[] = ['DE', 'EL', 'PL'];

let a: OrganiserSession;
let b: OrganiserSession;
const receipts = new Map<string, MemberStateCode>();
let email = '';

const call = (who: OrganiserSession | undefined, method: 'GET' | 'POST', path: string, body?: unknown) =>
  adminCall(baseUrl, who?.accessToken, method, path, body);

/** Polls GET /api/admin/exports/{id} until the export has ended (done or failed). */
async function settled(id: string, who: OrganiserSession): Promise<ExportView> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await call(who, 'GET', `/api/admin/exports/${id}`);
    expect(res.status).toBe(200);
    const view = res.body as unknown as ExportView;
    if (view.state === 'done' || view.state === 'failed' || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Downloads one file of a done export through a fresh link; answers the link's answer and the bytes. */
async function download(id: string, who: OrganiserSession, file: string) {
  const link = await call(who, 'POST', `/api/admin/exports/${id}/downloads`, { file });
  expect(link.status, JSON.stringify(link.body)).toBe(200);
  const { url, expiresAt } = link.body as { url: string; expiresAt: string };
  const res = await fetch(url);
  return { url, expiresAt, res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

beforeAll(async () => {
  [a, b] = await Promise.all([
    newOrganiserSession(baseUrl, dataDir, record),
    newOrganiserSession(baseUrl, dataDir, record),
  ]);
  // The shared system went live in the global setup: these statements are live, hence exportable.
  email = `update-${word()}@example.org`;
  // Identities of their own (random names, a random PESEL): a fixture's identity signed by another
  // suite would make this one a duplicate, answered with a receipt that names nothing stored.
  const bodies: Array<[MemberStateCode, TestStatement]> = [
    ['DE', { ...germanCitizen(), email, emailConsent: true }],
    [
      'EL',
      {
        ...VALID_STATEMENTS.EL,
        firstNames: cap(word(9)),
        familyNames: cap(word(11)),
        submissionId: crypto.randomUUID(),
      } as TestStatement,
    ],
    ['PL', polishCitizen()],
  ];
  for (const [country, body] of bodies) {
    const res = await signRecorded(baseUrl, valuesFile, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    receipts.set((res.body as { receipt: string }).receipt, country);
  }
}, 120_000);

describe('export jobs on DynamoDB Local: conditional transitions', () => {
  it('lets one of ten concurrent approvals through, never the requester’s, and starts a job once among five runners', async () => {
    const db = localDynamo(dynamoEndpoint);
    try {
      const store = new DynamoExportJobStore(db, tableName);
      const id = exportJobId(new Date(), new Uint8Array(randomBytes(8)));
      const at = new Date().toISOString();
      const requester = { sub: 'sub-requester', email: 'requester@example.org' };
      await store.create({
        id,
        kind: 'statements',
        countries: 'all',
        state: 'requested',
        requestedBy: requester,
        requestedAt: at,
      });
      await expect(
        store.create({
          id,
          kind: 'statements',
          countries: 'all',
          state: 'requested',
          requestedBy: requester,
          requestedAt: at,
        }),
      ).rejects.toThrow();

      expect(await store.approve(id, requester, at)).toBe(false);
      const approvals = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.approve(id, { sub: `sub-${i}`, email: `o${i}@example.org` }, at),
        ),
      );
      expect(approvals.filter(Boolean)).toHaveLength(1);
      const starts = await Promise.all(Array.from({ length: 5 }, () => store.start(id, at)));
      expect(starts.filter(Boolean)).toHaveLength(1);
      expect(await store.heartbeat(id, { phase: 'reading', read: 5, written: 0 }, at)).toBe(true);
      expect(
        await store.fail(id, ['running'], 'interrupted', at, { heartbeatAt: '2000-01-01T00:00:00.000Z' }),
      ).toBe(false);
      expect(await store.complete(id, { files: [], manifestSha256: 'a'.repeat(64) }, at)).toBe(true);
      expect(await store.fail(id, ['running'], 'interrupted', at)).toBe(false);
      expect(await store.get(id)).toMatchObject({
        state: 'done',
        progress: { read: 5 },
        manifestSha256: 'a'.repeat(64),
      });
      expect(
        await store.approve('20000101T000000000Z-0000000000000000', { sub: 'x', email: 'x@example.org' }, at),
      ).toBe(false);
    } finally {
      db.destroy();
    }
  });
});

describe('organiser export routes against the local system', () => {
  it('refuses every export route without an access token (401 unauthenticated)', async () => {
    const id = '20261202T090000000Z-00112233445566ff';
    for (const [method, path, body] of [
      ['POST', routeOf('requestExport').path, { countries: 'all' }],
      ['GET', routeOf('listExports').path, undefined],
      ['GET', `/api/admin/exports/${id}`, undefined],
      ['POST', `/api/admin/exports/${id}/approve`, undefined],
      ['POST', `/api/admin/exports/${id}/downloads`, { file: 'DE' }],
      ['POST', routeOf('requestEmailExport').path, undefined],
    ] as const) {
      const res = await call(undefined, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });

  it('answers 422 with field errors for bad countries, 404 for an unknown export', async () => {
    const bad = await call(a, 'POST', '/api/admin/exports', { countries: ['DE', 'GR'] });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      errors: [{ field: 'countries', code: 'invalid_format', message: expect.any(String) }],
    });
    for (const id of ['20261202T090000000Z-00112233445566ff', 'no-such-export']) {
      const res = await call(a, 'GET', `/api/admin/exports/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('runs an export only once another organiser approved it; every file downloads once with the manifest’s bytes; the trail records each step', async () => {
    const requested = await call(a, 'POST', '/api/admin/exports', { countries: COUNTRIES });
    expect(requested.status).toBe(202);
    const id = String(requested.body.id);
    expect(requested.body).toMatchObject({
      state: 'requested',
      requestedBy: { sub: a.sub, email: a.email },
      approvedBy: null,
      countries: ['DE', 'EL', 'PL'],
    });

    // Not done yet: nothing to download.
    const early = await call(a, 'POST', `/api/admin/exports/${id}/downloads`, { file: 'DE' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'invalid_state' } });

    const self = await call(a, 'POST', `/api/admin/exports/${id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ error: { code: 'same_organiser' } });

    const approved = await call(b, 'POST', `/api/admin/exports/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id,
      state: 'approved',
      approvedBy: { sub: b.sub, email: b.email },
    });
    const again = await call(b, 'POST', `/api/admin/exports/${id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'invalid_state' } });

    const done = await settled(id, a);
    expect(done).toMatchObject({ id, state: 'done', failure: null, requestedBy: { sub: a.sub } });
    expect(done.files.map((f) => f.country)).toEqual(['DE', 'EL', 'PL']);
    expect(done.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.progress).toMatchObject({ phase: 'done' });

    const list = await call(b, 'GET', '/api/admin/exports');
    expect(list.status).toBe(200);
    const listed = (list.body.exports as ExportView[]).map((e) => e.id);
    expect(listed).toContain(id);
    expect([...listed].sort().reverse()).toEqual(listed);

    // The manifest first: its own hash is the one the export answers.
    const manifestFile = await download(id, b, 'manifest');
    expect(manifestFile.res.status).toBe(200);
    expect(manifestFile.res.headers.get('content-type')).toBe('application/json');
    expect(sha256(manifestFile.bytes)).toBe(done.manifestSha256);
    expect(Date.parse(manifestFile.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const manifest = JSON.parse(Buffer.from(manifestFile.bytes).toString('utf8')) as ExportManifest;
    expect(manifest).toMatchObject({
      exportId: id,
      initiative: expect.stringMatching(/^ECI\(\d{4}\)\d{6}$/),
    });
    expect(manifest.files).toEqual(done.files);

    const found = new Map<string, MemberStateCode>();
    const xml: Array<{ name: string; xml: Uint8Array }> = [];
    for (const line of manifest.files) {
      const file = await download(id, a, line.country);
      expect(file.res.status, line.country).toBe(200);
      expect(file.res.headers.get('content-type')).toBe('application/xml');
      expect(file.bytes.length).toBe(line.bytes);
      expect(sha256(file.bytes), line.country).toBe(line.sha256);
      xml.push({ name: `${line.country}.xml`, xml: file.bytes });
      for (const signature of parseSupportForm(file.bytes).signatures) {
        found.set(signature.signatureIdentifier, line.country);
      }
      // The link worked once.
      const second = await fetch(file.url);
      expect(second.status, line.country).toBe(410);
      await second.arrayBuffer();
    }
    expect(await xsdErrors(xml.map((f) => ({ name: f.name, xml: Buffer.from(f.xml) })))).toEqual([]);
    for (const [receipt, country] of receipts) expect(found.get(receipt), receipt).toBe(country);

    const notInExport = await call(a, 'POST', `/api/admin/exports/${id}/downloads`, { file: 'FR' });
    expect(notInExport.status).toBe(422);
    expect(notInExport.body).toEqual({
      errors: [{ field: 'file', code: 'not_allowed', message: expect.any(String) }],
    });
    expect((await fetch(`${baseUrl}/local-downloads/${'x'.repeat(43)}`)).status).toBe(404);

    const db = localDynamo(dynamoEndpoint);
    try {
      const { entries, chainValid } = await listAudit(
        new DynamoAuditTrail(db, tableName, { now: () => new Date() }),
      );
      expect(chainValid).toBe(true);
      const mine = entries.filter((e) => e.details.exportId === id);
      expect(mine.map((e) => [e.action, e.actor.sub])).toEqual([
        ['export_requested', a.sub],
        ['export_approved', b.sub],
        ['export_completed', 'system'],
        ['export_downloaded', b.sub],
        ...manifest.files.map(() => ['export_downloaded', a.sub]),
      ]);
      expect(mine.filter((e) => e.action === 'export_downloaded').map((e) => e.details.file)).toEqual([
        'manifest.json',
        'DE.xml',
        'EL.xml',
        'PL.xml',
      ]);
      expect(mine[0]?.details).toEqual({ exportId: id, countries: ['DE', 'EL', 'PL'] });
    } finally {
      db.destroy();
    }
  }, 180_000);

  it('exports the e-mail addresses given with consent, under the same dual control, as their own file', async () => {
    const requested = await call(b, 'POST', routeOf('requestEmailExport').path);
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ kind: 'emails', state: 'requested', countries: null });
    const id = String(requested.body.id);
    expect((await call(b, 'POST', `/api/admin/exports/${id}/approve`)).status).toBe(403);
    expect((await call(a, 'POST', `/api/admin/exports/${id}/approve`)).status).toBe(200);

    const done = await settled(id, b);
    expect(done).toMatchObject({ state: 'done', files: [], manifestSha256: null });
    expect(done.emails?.addresses).toBeGreaterThanOrEqual(1);
    // A statements export's file names do not apply.
    expect((await call(b, 'POST', `/api/admin/exports/${id}/downloads`, { file: 'manifest' })).status).toBe(
      422,
    );

    const file = await download(id, b, 'emails');
    expect(file.res.status).toBe(200);
    expect(file.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(sha256(file.bytes)).toBe(done.emails?.sha256);
    const lines = Buffer.from(file.bytes).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('email');
    expect(lines).toContain(email);
    expect((await fetch(file.url)).status).toBe(410);

    const db = localDynamo(dynamoEndpoint);
    try {
      const { entries } = await listAudit(new DynamoAuditTrail(db, tableName, { now: () => new Date() }));
      expect(entries.filter((e) => e.details.exportId === id).map((e) => e.action)).toEqual([
        'email_export_requested',
        'email_export_approved',
        'export_completed',
        'email_export_downloaded',
      ]);
    } finally {
      db.destroy();
    }
  }, 180_000);
});
