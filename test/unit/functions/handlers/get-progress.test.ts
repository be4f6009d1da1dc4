import { QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';
import { coldStartInAws, ddb } from './aws-env';

const load = async () => (await import('@ocs/functions/handlers/get-progress')).handler;

describe('GET /api/progress handler (AWS runtime, mocked SDK clients)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    coldStartInAws();
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('sums 32 counter shards into all 27 Member States, cacheable briefly', async () => {
    ddb
      .on(QueryCommand)
      .callsFake((input: QueryCommandInput) =>
        input.ExpressionAttributeValues?.[':pk']?.S === 'C#5'
          ? { Items: [{ sk: { S: '2026-11-27' }, PL: { N: '2' } }] }
          : { Items: [{ sk: { S: '2026-11-28' }, PL: { N: '1' } }] },
      );
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-progress'));

    expect(res.statusCode).toBe(200);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(32);
    const body = res.json() as { total: number; countries: Record<string, { count: number }> };
    expect(body.total).toBe(33);
    expect(body.countries.PL?.count).toBe(33);
    expect(Object.keys(body.countries)).toHaveLength(27);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    const maxAge = Number(/s-maxage=(\d+)/.exec(res.headers['cache-control'] ?? '')?.[1]);
    expect(maxAge).toBeLessThanOrEqual(60);
  });

  it('honours OCS_COUNTER_SHARDS', async () => {
    vi.stubEnv('OCS_COUNTER_SHARDS', '4');
    const handler = await load();

    await invoke(handler, apiEvent('get-progress'));

    expect(ddb.commandCalls(QueryCommand)).toHaveLength(4);
  });
});
