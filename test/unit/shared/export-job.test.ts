import {
  checkDownloadRequest,
  checkExportRequest,
  EXPORT_JOB_ID,
  EXPORT_STALE_AFTER_MS,
  EXPORT_START_TIMEOUT_MS,
  type ExportJob,
  exportJobId,
  staleReason,
} from '@ocs/shared/export-job';
import { MEMBER_STATES } from '@ocs/shared/statement';
import { describe, expect, it } from 'vitest';

const NOW = new Date('2026-12-02T09:00:00.000Z');
const organiser = { sub: 'sub-a', email: 'a@example.org' };
const job = (over: Partial<ExportJob> = {}): ExportJob => ({
  id: '20261202T090000000Z-00112233445566ff',
  kind: 'statements',
  countries: ['DE', 'PL'],
  state: 'done',
  requestedBy: organiser,
  requestedAt: NOW.toISOString(),
  files: [
    { country: 'DE', statements: 2, bytes: 10, sha256: 'a'.repeat(64) },
    { country: 'PL', statements: 0, bytes: 5, sha256: 'b'.repeat(64) },
  ],
  ...over,
});

describe('export job ids', () => {
  it('start with the request instant (so they sort by time) and end with 64 random bits', () => {
    const id = exportJobId(NOW, new Uint8Array([0, 17, 34, 51, 68, 85, 102, 255]));
    expect(id).toBe('20261202T090000000Z-00112233445566ff');
    expect(EXPORT_JOB_ID.test(id)).toBe(true);
    const later = exportJobId(new Date(NOW.getTime() + 1), new Uint8Array(8));
    expect([later, id].sort()).toEqual([id, later]);
  });

  it('need exactly 8 random bytes, and the form refuses anything else', () => {
    expect(() => exportJobId(NOW, new Uint8Array(7))).toThrow(RangeError);
    for (const bad of [
      '',
      '../x',
      '20261202T090000000Z-00112233445566f',
      'x20261202T090000000Z-00112233445566ff',
    ]) {
      expect(EXPORT_JOB_ID.test(bad), bad).toBe(false);
    }
  });
});

describe('checkExportRequest', () => {
  it('accepts "all" and a list of distinct EU codes (EL for Greece), sorted', () => {
    expect(checkExportRequest({ countries: 'all' })).toEqual({ ok: true, value: 'all' });
    expect(checkExportRequest({ countries: ['PL', 'EL', 'DE'] })).toEqual({
      ok: true,
      value: ['DE', 'EL', 'PL'],
    });
    expect(checkExportRequest({ countries: [...MEMBER_STATES] })).toMatchObject({ ok: true });
  });

  it.each([
    ['no countries', {}, 'required'],
    ['an empty list', { countries: [] }, 'invalid_format'],
    ['GR (the EU writes EL)', { countries: ['GR'] }, 'invalid_format'],
    ['a lower-case code', { countries: ['de'] }, 'invalid_format'],
    ['a code twice', { countries: ['DE', 'DE'] }, 'invalid_format'],
    ['a string other than "all"', { countries: 'DE' }, 'invalid_format'],
    ['a number', { countries: 3 }, 'invalid_format'],
  ])('refuses %s', (_, body, code) => {
    expect(checkExportRequest(body)).toEqual({
      ok: false,
      errors: [{ field: 'countries', code, message: expect.any(String) }],
    });
  });

  it('reports every error at once, an unknown member as not allowed, without echoing values', () => {
    const checked = checkExportRequest({ countries: ['XX'], emails: 'secret@example.org' });
    expect(checked).toEqual({
      ok: false,
      errors: [
        { field: 'emails', code: 'not_allowed', message: expect.any(String) },
        { field: 'countries', code: 'invalid_format', message: expect.any(String) },
      ],
    });
    expect(JSON.stringify(checked)).not.toContain('secret@example.org');
  });
});

describe('checkDownloadRequest', () => {
  it('names a country file of the export, or its manifest, with the media type the link serves', () => {
    expect(checkDownloadRequest({ file: 'DE' }, job())).toEqual({
      ok: true,
      value: { exportId: job().id, name: 'DE.xml', contentType: 'application/xml' },
    });
    expect(checkDownloadRequest({ file: 'manifest' }, job())).toEqual({
      ok: true,
      value: { exportId: job().id, name: 'manifest.json', contentType: 'application/json' },
    });
  });

  it('offers an e-mail export its one file only', () => {
    const emails = job({ kind: 'emails', countries: null, files: undefined });
    expect(checkDownloadRequest({ file: 'emails' }, emails)).toMatchObject({
      ok: true,
      value: { name: 'emails.csv', contentType: 'text/csv; charset=utf-8' },
    });
    expect(checkDownloadRequest({ file: 'manifest' }, emails)).toMatchObject({ ok: false });
    expect(checkDownloadRequest({ file: 'emails' }, job())).toMatchObject({ ok: false });
  });

  it.each([
    ['no file', {}, 'required'],
    ['a country not in the export', { file: 'FR' }, 'not_allowed'],
    ['a path', { file: '../DE' }, 'invalid_format'],
    ['a number', { file: 7 }, 'invalid_format'],
  ])('refuses %s', (_, body, code) => {
    expect(checkDownloadRequest(body, job())).toEqual({
      ok: false,
      errors: [{ field: 'file', code, message: expect.any(String) }],
    });
  });
});

describe('staleReason', () => {
  const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

  it('gives up a run whose heartbeat is older than the limit, not one that reported within it', () => {
    expect(staleReason(job({ state: 'running', heartbeatAt: ago(EXPORT_STALE_AFTER_MS + 1) }), NOW)).toBe(
      'interrupted',
    );
    expect(
      staleReason(job({ state: 'running', heartbeatAt: ago(EXPORT_STALE_AFTER_MS) }), NOW),
    ).toBeUndefined();
    expect(staleReason(job({ state: 'running' }), NOW)).toBe('interrupted');
  });

  it('gives up an approval whose run never started, and never touches other states', () => {
    expect(staleReason(job({ state: 'approved', approvedAt: ago(EXPORT_START_TIMEOUT_MS + 1) }), NOW)).toBe(
      'not_started',
    );
    expect(staleReason(job({ state: 'approved', approvedAt: ago(1000) }), NOW)).toBeUndefined();
    for (const state of ['requested', 'done', 'failed'] as const) {
      expect(
        staleReason(job({ state, heartbeatAt: ago(10 * EXPORT_STALE_AFTER_MS) }), NOW),
        state,
      ).toBeUndefined();
    }
  });
});
