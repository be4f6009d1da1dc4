import { readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type SignedInOrganiser, signedInOrganiser } from '../support/admin';
import { fetchAndSolve } from '../support/altcha';
import { progress, signRecorded } from '../support/api';
import { polishCitizen, type TestStatement, word } from '../support/citizens';
import { localDynamo, scanAll } from '../support/table';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const logFile = inject('logFile');
const valuesFile = inject('personalValuesFile');
const tableName = inject('tableName');
const db = localDynamo(inject('dynamoEndpoint'));

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly cacheControl: string | null;
  readonly text: string;
}

/** POST /api/withdrawals as the citizen page sends it: the receipt and a solved proof of work. */
async function withdraw(receipt: string, altcha?: string | null): Promise<Answer> {
  const proof = altcha === undefined ? await fetchAndSolve(baseUrl) : altcha;
  const res = await fetch(`${baseUrl}/api/withdrawals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(proof === null ? { receipt } : { receipt, altcha: proof }),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    text: await res.text(),
  };
}

/** Signs a Polish statement (with an e-mail address for updates); its receipt. */
async function signed(): Promise<{ receipt: string; body: TestStatement }> {
  const citizen = { ...polishCitizen(), email: `${word(10)}@example.org`, emailConsent: true };
  const res = await signRecorded(baseUrl, valuesFile, citizen);
  expect(res.status).toBe(201);
  return { receipt: (res.body as { receipt: string }).receipt, body: citizen };
}

/** The raw items that name this receipt (a statement by its attribute, an e-mail by its key). */
async function itemsOf(receipt: string): Promise<Record<string, AttributeValue>[]> {
  return (await scanAll(db, tableName)).filter(
    (item) => item.statementId?.S === receipt || item.receipt?.S === receipt || item.pk?.S?.includes(receipt),
  );
}

const plCount = async () => (await progress(baseUrl)).countries.PL?.count ?? 0;
const NEVER_ISSUED = '0f8fad5b-d9cb-469f-a165-70867728950e';
const receipts: string[] = [];
let organiser: SignedInOrganiser;

beforeAll(async () => {
  organiser = await signedInOrganiser(baseUrl, dataDir);
});

afterAll(() => {
  db.destroy();
});

describe('withdrawal of a statement by its receipt, on the running system', () => {
  it('POST /api/withdrawals deletes the statement and its e-mail, and its country count goes down by one', async () => {
    const { receipt } = await signed();
    receipts.push(receipt);
    expect((await itemsOf(receipt)).map((i) => i.pk?.S?.slice(0, 2)).sort()).toEqual(['E#', 'S#']);
    const before = await plCount();

    const answer = await withdraw(receipt);

    expect(answer).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'no-store',
      text: '{"status":"done"}',
    });
    expect(await plCount()).toBe(before - 1);
    expect(await itemsOf(receipt)).toEqual([]);
  });

  it('answers a retry, a receipt never issued and a malformed-case copy exactly alike, changing no count', async () => {
    const { receipt } = await signed();
    receipts.push(receipt);
    const hit = await withdraw(receipt.toUpperCase());
    const after = await plCount();

    const retry = await withdraw(receipt);
    const never = await withdraw(NEVER_ISSUED);

    expect(retry).toEqual(hit);
    expect(never).toEqual(hit);
    expect(await plCount()).toBe(after);
  });

  it("withdraws nothing with a duplicate's decoy receipt: the person's stored statement stays counted", async () => {
    const first = await signed();
    receipts.push(first.receipt);
    const again = await signRecorded(baseUrl, valuesFile, {
      ...first.body,
      submissionId: crypto.randomUUID(),
    });
    expect(again.status).toBe(201);
    const decoy = (again.body as { receipt: string }).receipt;
    expect(decoy).not.toBe(first.receipt);
    const before = await plCount();

    expect((await withdraw(decoy)).text).toBe('{"status":"done"}');

    expect(await plCount()).toBe(before);
    expect((await itemsOf(first.receipt)).filter((i) => i.pk?.S?.startsWith('S#'))).toHaveLength(1);
  });

  it('refuses a request without a proof of work (403) or with a malformed receipt (422), changing nothing', async () => {
    const { receipt } = await signed();
    const before = await plCount();

    const missing = await withdraw(receipt, null);
    const malformed = await withdraw('not-a-receipt');
    const proof = await fetchAndSolve(baseUrl);
    await withdraw(NEVER_ISSUED, proof);
    const reused = await withdraw(receipt, proof);

    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toMatchObject({ error: { code: 'challenge_failed' } });
    expect(malformed.status).toBe(422);
    expect(JSON.parse(malformed.text)).toMatchObject({
      errors: [{ field: 'receipt', code: 'invalid_format' }],
    });
    expect(reused.status).toBe(403);
    expect(await plCount()).toBe(before);
    expect((await itemsOf(receipt)).length).toBe(2);
    receipts.push(receipt);
  });

  it('POST /api/admin/withdrawals (a signed-in organiser, on a written request) withdraws alike and is audited without the receipt', async () => {
    const { receipt } = await signed();
    receipts.push(receipt);
    const before = await plCount();

    const hit = await organiser.call('POST', '/api/admin/withdrawals', { receipt });
    const miss = await organiser.call('POST', '/api/admin/withdrawals', { receipt: NEVER_ISSUED });
    const anonymous = await organiser.call('POST', '/api/admin/withdrawals', { receipt }, null);

    expect(hit.status).toBe(200);
    expect(hit.body).toEqual({ status: 'done' });
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual(hit.body);
    expect(anonymous.status).toBe(401);
    expect(await plCount()).toBe(before - 1);
    expect(await itemsOf(receipt)).toEqual([]);

    const audit = await organiser.call('GET', '/api/admin/audit');
    expect(audit.body.chainValid).toBe(true);
    const entries = audit.body.entries as { action: string; actor: { sub: string }; details: object }[];
    const withdrawals = entries.filter((e) => e.action === 'withdrawal');
    expect(withdrawals.length).toBeGreaterThanOrEqual(2);
    for (const entry of withdrawals) expect(entry.details).toEqual({});
    expect(withdrawals.some((e) => e.actor.sub === 'citizen')).toBe(true);
    const trail = JSON.stringify(entries);
    for (const r of receipts) expect(trail).not.toContain(r);
  });

  it('never writes a receipt into the server log', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('POST /api/withdrawals');
    for (const receipt of receipts) expect(log).not.toContain(receipt);
  });
});
