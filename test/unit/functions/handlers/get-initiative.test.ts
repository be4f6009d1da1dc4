import { GetItemCommand, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';
import { testInitiative } from '../support/data';
import { coldStartInAws, ddb } from './aws-env';

const load = async () => (await import('@ocs/functions/handlers/get-initiative')).handler;

describe('GET /api/initiative handler (AWS runtime, mocked SDK clients)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('answers the public facts, cacheable for 60 s', async () => {
    coldStartInAws(testInitiative({ start: '2020-01-01', end: '2020-12-31' }));
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-initiative'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.json()).toMatchObject({
      registrationNumber: 'ECI(2026)000042',
      languages: ['en', 'pl'],
      collection: { status: 'closed', start: '2020-01-01', end: '2020-12-31' },
    });
    expect(res.json()).not.toHaveProperty('id');
  });

  it('reads the initiative item once within the cache lifetime', async () => {
    coldStartInAws();
    const handler = await load();

    await invoke(handler, apiEvent('get-initiative'));
    await invoke(handler, apiEvent('get-initiative'));

    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(1);
  });

  it('answers 503 when no initiative is configured', async () => {
    coldStartInAws('none');
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-initiative'));

    expect(res.statusCode).toBe(503);
  });

  it('answers 503 when DynamoDB throttles', async () => {
    coldStartInAws();
    ddb.on(GetItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-initiative'));

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
  });
});
