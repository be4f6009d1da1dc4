import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchAndSolve } from '../support/altcha';
import { getJson, postStatement, progress } from '../support/api';
import { polishCitizen, recordPersonalValues } from '../support/citizens';
import { localDynamo } from '../support/table';

const baseUrl = inject('baseUrl');
const valuesFile = inject('personalValuesFile');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');
const key = { pk: { S: 'INITIATIVE' }, sk: { S: 'CONFIG' } };

type Collection = { start: string; end: string; enabled: boolean };
let original: Collection;

async function setCollection(collection: Collection, expected: string) {
  const item = (await db.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item;
  if (!item?.data?.M?.collection) throw new Error('no initiative item');
  item.data.M.collection = {
    M: {
      start: { S: collection.start },
      end: { S: collection.end },
      enabled: { BOOL: collection.enabled },
    },
  };
  await db.send(new PutItemCommand({ TableName: tableName, Item: item }));
  // The test server keeps no initiative in memory (OCS_INITIATIVE_CACHE_SECONDS=0): it applies at once.
  const status = ((await getJson(baseUrl, '/api/initiative')).body as { collection: { status: string } })
    .collection.status;
  expect(status).toBe(expected);
}

async function attempt() {
  const citizen = polishCitizen();
  recordPersonalValues(valuesFile, citizen);
  return postStatement(baseUrl, { ...citizen, altcha: await fetchAndSolve(baseUrl) });
}

describe('collection window', () => {
  beforeAll(async () => {
    original = (
      (await getJson(baseUrl, '/api/initiative')).body as { collection: Collection & { status: string } }
    ).collection;
    expect(original).toMatchObject({ status: 'open' });
  });

  afterAll(async () => {
    await setCollection({ start: original.start, end: original.end, enabled: true }, 'open');
  });

  it('refuses statements with 403 collection_not_open when the organisers switch collection off', async () => {
    await setCollection({ start: original.start, end: original.end, enabled: false }, 'closed');
    const before = (await progress(baseUrl)).total;
    const res = await attempt();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'collection_not_open' } });
    expect((await progress(baseUrl)).total).toBe(before);
  });

  it('refuses statements after the end date (closed)', async () => {
    await setCollection({ start: '2025-01-01', end: '2025-12-31', enabled: true }, 'closed');
    expect((await attempt()).status).toBe(403);
  });

  it('refuses statements before the start date (not_started)', async () => {
    await setCollection({ start: '2099-01-01', end: '2099-12-31', enabled: true }, 'not_started');
    const res = await attempt();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'collection_not_open' } });
  });
});
