import { mapError, RETRY_AFTER_SECONDS } from '@ocs/functions/http/error-map';
import { RequestProblemError } from '@ocs/functions/http/problems';
import {
  ChallengeFailedError,
  CollectionNotOpenError,
  DependencyUnavailableError,
  ExportNotFoundError,
  InitiativeNotConfiguredError,
  InvalidExportStateError,
  InvalidRequestError,
  RateLimitedError,
  RetentionOverError,
  SameOrganiserError,
  StatementValidationError,
  UnauthenticatedError,
} from '@ocs/shared/errors';
import { describe, expect, it } from 'vitest';

const REQUEST_ID = 'req-123';
const body = (error: unknown) =>
  JSON.parse(mapError(error, REQUEST_ID).response.body) as Record<string, unknown>;

describe('mapError', () => {
  it('maps a refused access token to 401 unauthenticated with the Bearer challenge, whatever the reason', () => {
    for (const reason of ['missing', 'expired', 'insufficient_scope'] as const) {
      const mapped = mapError(new UnauthenticatedError(reason), REQUEST_ID);
      expect(mapped.response.statusCode).toBe(401);
      expect(mapped.response.headers['www-authenticate']).toBe('Bearer');
      expect(body(new UnauthenticatedError(reason))).toEqual({
        error: { code: 'unauthenticated', message: new UnauthenticatedError('missing').message },
      });
      expect(mapped).toMatchObject({ code: 'unauthenticated', unexpected: false });
    }
  });

  it('maps field errors to 422 with all of them, as the contract shapes them', () => {
    const errors = [
      { field: 'documentNumber', code: 'invalid_checksum' as const, message: 'Check the number.' },
      { field: 'firstNames', code: 'required' as const, message: 'Enter your first names.' },
    ];

    const mapped = mapError(new StatementValidationError(errors), REQUEST_ID);

    expect(mapped.response.statusCode).toBe(422);
    expect(JSON.parse(mapped.response.body)).toEqual({ errors });
    expect(mapped).toMatchObject({ code: 'validation_failed', unexpected: false });
  });

  it.each([
    [new ExportNotFoundError(), 404, 'not_found'],
    [new SameOrganiserError(), 403, 'same_organiser'],
    [new InvalidExportStateError('running', ['requested']), 409, 'invalid_state'],
    [new RetentionOverError('2028-01-31'), 409, 'retention_over'],
  ] as const)('maps the export refusal %s to %i %s', (error, status, code) => {
    const mapped = mapError(error, REQUEST_ID);
    expect(mapped.response.statusCode).toBe(status);
    expect(JSON.parse(mapped.response.body)).toEqual({ error: { code, message: error.message } });
    expect(mapped).toMatchObject({ code, unexpected: false });
  });

  it('maps an organiser request body’s field errors to 422 like a statement’s', () => {
    const errors = [{ field: 'countries', code: 'invalid_format' as const, message: 'Give the countries.' }];
    const mapped = mapError(new InvalidRequestError(errors), REQUEST_ID);
    expect(mapped.response.statusCode).toBe(422);
    expect(JSON.parse(mapped.response.body)).toEqual({ errors });
  });

  it.each([
    ['malformed_json', 400],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['too_large', 413],
    ['unsupported_media_type', 415],
  ] as const)('maps the request problem %s to %i', (code, status) => {
    const mapped = mapError(new RequestProblemError(code, 'Generic message.'), REQUEST_ID);

    expect(mapped.response.statusCode).toBe(status);
    expect(JSON.parse(mapped.response.body)).toEqual({ error: { code, message: 'Generic message.' } });
    expect(mapped.unexpected).toBe(false);
  });

  it.each([
    ['ChallengeFailedError', new ChallengeFailedError('invalid_solution'), 403, 'challenge_failed'],
    [
      'CollectionNotOpenError (not started)',
      new CollectionNotOpenError('not_started'),
      403,
      'collection_not_open',
    ],
    ['CollectionNotOpenError (closed)', new CollectionNotOpenError('closed'), 403, 'collection_not_open'],
    ['RateLimitedError', new RateLimitedError(7), 429, 'rate_limited'],
  ])('maps %s to %i with a stable code', (_, error, status, code) => {
    const mapped = mapError(error, REQUEST_ID);

    expect(mapped.response.statusCode).toBe(status);
    expect(body(error)).toEqual({ error: { code, message: error.message } });
    expect(mapped.code).toBe(code);
    expect(mapped.unexpected).toBe(false);
  });

  it('keeps the reason of a challenge failure out of the response', () => {
    expect(mapError(new ChallengeFailedError('already_used'), REQUEST_ID).response.body).not.toContain(
      'already_used',
    );
  });

  it('sets retry-after on a 429 from the error', () => {
    expect(mapError(new RateLimitedError(7), REQUEST_ID).response.headers['retry-after']).toBe('7');
  });

  it.each([
    ['database', new DependencyUnavailableError('database')],
    ['keys', new DependencyUnavailableError('keys')],
    ['secrets', new DependencyUnavailableError('secrets')],
    ['no initiative', new InitiativeNotConfiguredError()],
    ['an SDK error', Object.assign(new Error('x'), { name: 'ThrottlingException', $metadata: {} })],
    ['an SDK-shaped object', { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }],
  ])('maps %s to 503 unavailable with retry-after', (_, error) => {
    const mapped = mapError(error, REQUEST_ID);

    expect(mapped.response.statusCode).toBe(503);
    expect(mapped.response.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(body(error)).toEqual({
      error: { code: 'unavailable', message: expect.stringMatching(/nothing was stored/) },
    });
    expect(mapped.unexpected).toBe(false);
  });

  it('does not name the failed dependency in the response', () => {
    expect(mapError(new DependencyUnavailableError('keys'), REQUEST_ID).response.body).not.toMatch(/keys/);
  });

  it.each([
    ['an Error', new Error('secret detail: Kowalska')],
    ['a TypeError', new TypeError('cannot read x')],
    ['a string', 'oops'],
    ['undefined', undefined],
    ['null', null],
  ])('maps %s to a generic 500 with the request id', (_, error) => {
    const mapped = mapError(error, REQUEST_ID);

    expect(mapped.response.statusCode).toBe(500);
    expect(JSON.parse(mapped.response.body)).toEqual({
      error: { code: 'internal_error', message: 'An unexpected error occurred.', requestId: REQUEST_ID },
    });
    expect(mapped).toMatchObject({ code: 'internal_error', unexpected: true });
    expect(mapped.response.body).not.toContain('Kowalska');
  });

  it('answers with the house headers and no-store', () => {
    expect(mapError(new CollectionNotOpenError('closed'), REQUEST_ID).response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });
});
