import { BASE_HEADERS, json } from '@ocs/functions/http/responses';
import { describe, expect, it } from 'vitest';

describe('json', () => {
  it('serialises the body with the house headers and no-store by default', () => {
    const res = json(200, { a: 'ü' });

    expect(res).toEqual({
      statusCode: 200,
      headers: { ...BASE_HEADERS, 'cache-control': 'no-store' },
      body: '{"a":"ü"}',
    });
  });

  it('takes a cache policy and extra headers', () => {
    const res = json(503, {}, { cacheControl: 'public, max-age=60', headers: { 'retry-after': '2' } });

    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
