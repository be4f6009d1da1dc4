import { apiHandler } from '@ocs/functions/http/api-handler';
import { json } from '@ocs/functions/http/responses';
import { SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import { MAX_BODY_BYTES } from '@ocs/shared/contract/citizen-api';
import { ChallengeFailedError, DependencyUnavailableError } from '@ocs/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import {
  FakeChallengeService,
  FakeInitiativeStore,
  InMemoryReplayStore,
  InMemoryStatementStore,
  RecordingSealer,
  sha256Hasher,
} from '../../../support/fakes';
import { apiEvent, captureOutput, invoke, postStatement, REQUEST_ID } from '../../../support/lambda';
import { partABody, testInitiative } from '../support/data';

const echo = apiHandler('POST /api/echo', async (event) => json(200, { received: event.jsonBody }), {
  jsonBody: true,
});
const failing = (error: unknown) =>
  apiHandler(
    'POST /api/statements',
    async () => {
      throw error;
    },
    { jsonBody: true },
  );

/** A JSON object body of exactly `bytes` UTF-8 bytes. */
const bodyOfSize = (bytes: number) => {
  const head = '{"pad":"';
  const tail = '"}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
};

describe('apiHandler: JSON body', () => {
  it('passes a JSON object to the route handler', async () => {
    const res = await invoke(echo, postStatement({ nationality: 'PL' }));

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: { nationality: 'PL' } });
  });

  it('parses the realistic fixture event', async () => {
    const res = await invoke(echo, apiEvent('post-statement'));

    expect(res.statusCode).toBe(200);
    expect(res.json().received).toMatchObject({ nationality: 'PL', documentNumber: '44051401359' });
  });

  it('decodes a base64-encoded body', async () => {
    const res = await invoke(echo, apiEvent('post-statement-base64'));

    expect(res.statusCode).toBe(200);
    expect(res.json().received).toMatchObject({ nationality: 'PL', familyNames: 'Kowalska' });
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON; Charset="utf-8"',
    'application/json; charset=utf8',
  ])('accepts the media type %s', async (contentType) => {
    const res = await invoke(echo, postStatement({ a: 1 }, { 'content-type': contentType }));

    expect(res.statusCode).toBe(200);
  });

  it('finds the content type header whatever its case', async () => {
    const event = postStatement({ a: 1 });
    delete event.headers['content-type'];
    event.headers['Content-Type'] = 'application/json';

    expect((await invoke(echo, event)).statusCode).toBe(200);
  });

  it.each([
    'text/plain',
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    '',
  ])('answers 415 for the media type %j', async (contentType) => {
    const res = await invoke(echo, postStatement({ a: 1 }, { 'content-type': contentType }));

    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
  });

  it('answers 415 without a content type header', async () => {
    const event = postStatement({ a: 1 });
    delete event.headers['content-type'];

    expect((await invoke(echo, event)).statusCode).toBe(415);
  });

  it('answers 415 for an event without headers', async () => {
    const event = postStatement({ a: 1 });
    Reflect.deleteProperty(event, 'headers');

    expect((await invoke(echo, event)).statusCode).toBe(415);
  });

  it('accepts a body of exactly 16 KiB', async () => {
    const res = await invoke(echo, apiEvent('post-statement', { body: bodyOfSize(MAX_BODY_BYTES) }));

    expect(MAX_BODY_BYTES).toBe(16_384);
    expect(res.statusCode).toBe(200);
  });

  it('answers 413 for 16 KiB + 1 byte', async () => {
    const res = await invoke(echo, apiEvent('post-statement', { body: bodyOfSize(MAX_BODY_BYTES + 1) }));

    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'too_large', message: expect.any(String) } });
  });

  it('measures in UTF-8 bytes, not characters', async () => {
    const chars = 'ż'.repeat(MAX_BODY_BYTES / 2);
    const res = await invoke(echo, apiEvent('post-statement', { body: `{"a":"${chars}"}` }));

    expect(res.statusCode).toBe(413);
  });

  it('measures a base64-encoded body decoded: 16 KiB decoded passes, 16 KiB + 1 is 413', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const exact = apiEvent('post-statement-base64', { body: b64(bodyOfSize(MAX_BODY_BYTES)) });
    const over = apiEvent('post-statement-base64', { body: b64(bodyOfSize(MAX_BODY_BYTES + 1)) });

    expect((exact.body ?? '').length).toBeGreaterThan(MAX_BODY_BYTES);
    expect((await invoke(echo, exact)).statusCode).toBe(200);
    expect((await invoke(echo, over)).statusCode).toBe(413);
  });

  it.each([
    ['invalid JSON', '{"nationality": "PL",'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"x"'],
    ['a number', '1'],
    ['true', 'true'],
    ['an empty body', ''],
  ])('answers 400 malformed_json for %s', async (_, body) => {
    const res = await invoke(echo, apiEvent('post-statement', { body }));

    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
  });

  it('answers 400 for a body without any body field', async () => {
    const event = apiEvent('post-statement');
    delete event.body;

    expect((await invoke(echo, event)).statusCode).toBe(400);
  });

  it('answers 400 for invalid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"firstNames":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    const event = apiEvent('post-statement-base64', { body: bytes.toString('base64') });

    const res = await invoke(echo, event);

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'malformed_json' } });
  });

  it('does not parse the body of routes without jsonBody', async () => {
    const handler = apiHandler('GET /api/x', async (event) => json(200, { parsed: event.jsonBody ?? null }));

    const res = await invoke(handler, apiEvent('get-progress', { body: 'not json' }));

    expect(res.json()).toEqual({ parsed: null });
  });

  it('sets the house headers on success and on errors', async () => {
    const ok = await invoke(echo, postStatement({ a: 1 }));
    const refused = await invoke(echo, postStatement({ a: 1 }, { 'content-type': 'text/plain' }));

    for (const res of [ok, refused]) {
      expect(res.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
    }
  });
});

describe('apiHandler: errors', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
  });

  it.each([['ChallengeFailedError', new ChallengeFailedError('expired'), 403, 'challenge_failed']])(
    'maps %s through the chain',
    async (_, error, status, code) => {
      const res = await invoke(failing(error), postStatement({ a: 1 }));

      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
    },
  );

  it('answers 503 with retry-after for a dependency outage', async () => {
    const res = await invoke(failing(new DependencyUnavailableError('keys')), postStatement({ a: 1 }));

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });

  it('answers a generic 500 with the request id for an unknown error', async () => {
    const res = await invoke(failing(new TypeError('x is undefined: Kowalska')), postStatement({ a: 1 }));

    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal_error', message: 'An unexpected error occurred.', requestId: REQUEST_ID },
    });
  });

  it('answers 503 for an error thrown by an AWS SDK client', async () => {
    const sdkError = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });

    const res = await invoke(failing(sdkError), postStatement({ a: 1 }));

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('answers 500 for a thrown non-error value', async () => {
    const res = await invoke(failing('a string'), postStatement({ a: 1 }));

    expect(res.statusCode).toBe(500);
  });
});

describe('apiHandler: logging without personal data', () => {
  const output = { current: undefined as ReturnType<typeof captureOutput> | undefined };
  afterEach(() => {
    output.current?.restore();
    output.current = undefined;
  });

  const PERSONAL = {
    firstNames: 'Xanthippe Quirinalis',
    familyNames: 'Zwetschkenbaum',
    dateOfBirth: '1961-07-23',
    street: 'Wunderlichgasse',
    streetNumber: '917',
    postalCode: '98765',
    city: 'Kleinzwetschgau',
  };
  const DOCUMENT_NUMBER = 'QX7734291';
  const EMAIL = 'xanthippe.quirinalis@example.org';
  const UNKNOWN_FIELD = 'favouriteColourSecretField';
  const distinctive = [...Object.values(PERSONAL), DOCUMENT_NUMBER, EMAIL, UNKNOWN_FIELD, 'Quirinalis'];

  function submitHandler(sealerFailure?: unknown) {
    const statementSealer = new RecordingSealer('k');
    statementSealer.failure = sealerFailure;
    const submit = new SubmitStatement({
      initiativeId: 'clean-rivers',
      initiatives: new FakeInitiativeStore(testInitiative()),
      challenges: new FakeChallengeService(),
      replay: new InMemoryReplayStore(),
      hasher: sha256Hasher,
      statementSealer,
      emailSealer: new RecordingSealer('e'),
      statements: new InMemoryStatementStore(),
      clock: new ManualClock(Date.parse('2026-11-28T10:00:00Z')),
      newId: () => '11111111-1111-4111-8111-111111111111',
    });
    return apiHandler(
      'POST /api/statements',
      async (event) => json(201, await submit.execute(event.jsonBody)),
      { jsonBody: true },
    );
  }

  function expectNoPersonalData(text: string) {
    for (const value of distinctive) expect(text).not.toContain(value);
  }

  it('logs a refused statement by field names and codes only, never values or unknown names', async () => {
    output.current = captureOutput();
    const body = partABody({
      ...PERSONAL,
      documentNumber: DOCUMENT_NUMBER,
      email: EMAIL,
      [UNKNOWN_FIELD]: 'teal',
      certify: false,
    });

    const res = await invoke(submitHandler(), postStatement(body));
    const logs = output.current.text();

    expect(res.statusCode).toBe(422);
    expect(logs).toContain('"code":"validation_failed"');
    expect(logs).toContain('(unknown field)');
    expect(logs).toContain('"field":"certify"');
    expectNoPersonalData(logs);
  });

  it('logs an unexpected error without its message, even when the message carries personal data', async () => {
    output.current = captureOutput();
    const failure = new Error(`cannot seal ${JSON.stringify({ ...PERSONAL, email: EMAIL })}`);

    const res = await invoke(submitHandler(failure), postStatement(partABody({ ...PERSONAL })));
    const logs = output.current.text();

    expect(res.statusCode).toBe(500);
    expect(logs).toContain('request failed unexpectedly');
    expectNoPersonalData(logs);
    expectNoPersonalData(res.body);
  });

  it('logs an unexpected error without its message, even a multi-line one', async () => {
    output.current = captureOutput();
    const failure = new Error(
      `cannot seal:\n${PERSONAL.firstNames} ${PERSONAL.familyNames}\n${PERSONAL.street}`,
    );

    const res = await invoke(submitHandler(failure), postStatement(partABody({ ...PERSONAL })));
    const logs = output.current.text();

    expect(res.statusCode).toBe(500);
    expect(logs).toContain('request failed unexpectedly');
    expectNoPersonalData(logs);
  });

  it('logs a dependency outage by error names, not by the messages of its causes', async () => {
    output.current = captureOutput();
    const failure = new DependencyUnavailableError('keys', {
      cause: new Error(`KMS refused context for ${PERSONAL.familyNames}`),
    });

    const res = await invoke(submitHandler(failure), postStatement(partABody({ ...PERSONAL })));
    const logs = output.current.text();

    expect(res.statusCode).toBe(503);
    expect(logs).toContain('dependency unavailable');
    expect(logs).toContain('DependencyUnavailableError');
    expectNoPersonalData(logs);
  });

  it('logs a refused challenge by its reason', async () => {
    output.current = captureOutput();

    const res = await invoke(
      failing(new ChallengeFailedError('already_used')),
      postStatement(partABody(PERSONAL)),
    );
    const logs = output.current.text();

    expect(res.statusCode).toBe(403);
    expect(logs).toContain('"reason":"already_used"');
    expectNoPersonalData(logs);
  });

  it('logs a successful request as route, status and duration, without the body', async () => {
    output.current = captureOutput();

    const res = await invoke(
      submitHandler(),
      postStatement(partABody({ ...PERSONAL, email: EMAIL, emailConsent: true })),
    );
    const lines = output.current.lines().map((l) => JSON.parse(l) as Record<string, unknown>);

    expect(res.statusCode).toBe(201);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'request', route: 'POST /api/statements', status: 201 }),
    );
    expectNoPersonalData(output.current.text());
  });
});
