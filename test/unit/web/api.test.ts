import { describe, expect, it, vi } from 'vitest';
import { type StatementRequest, submitStatement, withdrawStatement } from '../../../web/src/lib/api.ts';

/** The browser's submission of a statement: retries, and how each contract answer is read. */

const request: StatementRequest = {
  nationality: 'PL',
  firstNames: 'Anna',
  familyNames: 'Nowak',
  documentType: 'personalNumber',
  documentNumber: '44051401359',
  certify: true,
  privacyStatement: true,
  submissionId: '3b241101-e2bb-4255-8caf-4136c566a962',
  altcha: 'payload-1',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const noSleep = () => Promise.resolve();

describe('submitStatement', () => {
  it('returns the receipt of a stored statement', async () => {
    const fetch = vi.fn(async () => json(201, { receipt: 'r-1', submittedAt: '2026-11-28T10:00:00Z' }));
    await expect(submitStatement(request, { fetch, sleep: noSleep })).resolves.toEqual({
      kind: 'stored',
      receipt: 'r-1',
      submittedAt: '2026-11-28T10:00:00Z',
    });
  });

  it('retries a 503 and a network failure with the same body, so the same submissionId', async () => {
    const bodies: string[] = [];
    const answers = [
      () => Promise.resolve(json(503, { error: { code: 'unavailable' } }, { 'retry-after': '1' })),
      () => Promise.reject(new TypeError('network down')),
      () => Promise.resolve(json(200, { receipt: 'r-2', submittedAt: '2026-11-28T10:00:00Z' })),
    ];
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(String(init?.body));
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected call');
      return answer();
    });
    const sleep = vi.fn(noSleep);
    const onRetry = vi.fn();
    const outcome = await submitStatement(request, { fetch, sleep, onRetry });
    expect(outcome).toMatchObject({ kind: 'stored', receipt: 'r-2' });
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] ?? '{}').submissionId).toBe(request.submissionId);
    expect(sleep).toHaveBeenNthCalledWith(1, 1000);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('gives up after the attempts and reports the service as unavailable', async () => {
    const fetch = vi.fn(async () => json(503, { error: { code: 'unavailable' } }));
    await expect(submitStatement(request, { fetch, sleep: noSleep, attempts: 3 })).resolves.toEqual({
      kind: 'unavailable',
    });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('caps a long Retry-After', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(429, { error: { code: 'rate_limited' } }, { 'retry-after': '3600' }))
      .mockResolvedValueOnce(json(201, { receipt: 'r-3', submittedAt: '2026-11-28T10:00:00Z' }));
    const sleep = vi.fn(noSleep);
    await submitStatement(request, { fetch, sleep });
    expect(sleep).toHaveBeenCalledWith(10_000);
  });

  it('maps 422 to the field errors', async () => {
    const errors = [{ field: 'documentNumber', code: 'invalid_checksum', message: 'Check the number.' }];
    const fetch = vi.fn(async () => json(422, { errors }));
    await expect(submitStatement(request, { fetch, sleep: noSleep })).resolves.toEqual({
      kind: 'field_errors',
      errors,
    });
  });

  it.each([
    // No answer says that a person already signed (a duplicate is a 201): a 409 is not special.
    [409, 'conflict', { kind: 'rejected', code: '409 conflict' }],
    [403, 'collection_not_open', { kind: 'collection_not_open' }],
    [400, 'malformed_json', { kind: 'rejected', code: '400 malformed_json' }],
    [413, 'too_large', { kind: 'rejected', code: '413 too_large' }],
    [415, 'unsupported_media_type', { kind: 'rejected', code: '415 unsupported_media_type' }],
  ])('maps %i %s', async (status, code, expected) => {
    const fetch = vi.fn(async () => json(status, { error: { code, message: '...' } }));
    await expect(submitStatement(request, { fetch, sleep: noSleep })).resolves.toEqual(expected);
  });

  it('asks once for a fresh proof of work when the server refuses the payload', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(403, { error: { code: 'challenge_failed' } }))
      .mockResolvedValueOnce(json(201, { receipt: 'r-4', submittedAt: '2026-11-28T10:00:00Z' }));
    const freshChallenge = vi.fn(async () => 'payload-2');
    const outcome = await submitStatement(request, { fetch, sleep: noSleep, freshChallenge });
    expect(outcome).toMatchObject({ kind: 'stored', receipt: 'r-4' });
    const second = JSON.parse(String(fetch.mock.calls[1]?.[1]?.body));
    expect(second.altcha).toBe('payload-2');
    expect(second.submissionId).toBe(request.submissionId);
  });

  it('reports a refused proof of work when no fresh one helps', async () => {
    const fetch = vi.fn(async () => json(403, { error: { code: 'challenge_failed' } }));
    const freshChallenge = vi.fn(async () => 'payload-2');
    await expect(submitStatement(request, { fetch, sleep: noSleep, freshChallenge })).resolves.toEqual({
      kind: 'challenge_failed',
    });
    expect(freshChallenge).toHaveBeenCalledTimes(1);
  });
});

describe('withdrawStatement', () => {
  const receipt = { receipt: '0f8fad5b-d9cb-469f-a165-70867728950e', altcha: 'payload-1' };

  it('posts the receipt and the proof of work to the withdrawal route, and reads done', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
      json(200, { status: 'done' }),
    );

    await expect(withdrawStatement(receipt, { fetch, sleep: noSleep })).resolves.toEqual({ kind: 'done' });
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/withdrawals');
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual(receipt);
  });

  it('retries a 503, then asks once for a fresh proof of work when the server refused it', async () => {
    const answers = [
      json(503, { error: { code: 'unavailable' } }),
      json(403, { error: { code: 'challenge_failed' } }),
      json(200, { status: 'done' }),
    ];
    const bodies: string[] = [];
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return answers.shift() ?? json(500, {});
    });

    const outcome = await withdrawStatement(receipt, {
      fetch,
      sleep: noSleep,
      freshChallenge: async () => 'payload-2',
    });

    expect(outcome).toEqual({ kind: 'done' });
    expect(bodies.map((b) => JSON.parse(b).altcha)).toEqual(['payload-1', 'payload-1', 'payload-2']);
  });

  it.each([
    [json(422, { errors: [{ field: 'receipt', code: 'invalid_format' }] }), { kind: 'invalid_receipt' }],
    [json(403, { error: { code: 'challenge_failed' } }), { kind: 'challenge_failed' }],
    [json(500, { error: { code: 'internal_error' } }), { kind: 'rejected', code: '500 internal_error' }],
    [json(200, { status: 'something else' }), { kind: 'rejected', code: '200 unknown' }],
  ])('reads %s', async (response, outcome) => {
    await expect(
      withdrawStatement(receipt, { fetch: async () => response, sleep: noSleep }),
    ).resolves.toEqual(outcome);
  });

  it('gives up as unavailable after its attempts', async () => {
    const fetch = vi.fn(async () => json(503, {}));

    await expect(withdrawStatement(receipt, { fetch, sleep: noSleep, attempts: 2 })).resolves.toEqual({
      kind: 'unavailable',
    });
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
