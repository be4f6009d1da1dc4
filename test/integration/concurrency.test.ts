import { describe, expect, inject, it } from 'vitest';
import { fetchAndSolve } from '../support/altcha';
import { postStatement, progress } from '../support/api';
import { germanCitizen, polishCitizen, recordPersonalValues } from '../support/citizens';
import { countStatements, localDynamo } from '../support/table';

const baseUrl = inject('baseUrl');
const valuesFile = inject('personalValuesFile');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');

describe('concurrent submissions', () => {
  it('accepts 300 distinct concurrent statements, stores each once and counts each once', async () => {
    const citizens = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? germanCitizen() : polishCitizen()));
    for (const c of citizens) recordPersonalValues(valuesFile, c);
    // Challenges are solved beforehand, so the burst measures intake, not proof of work.
    const bodies = await Promise.all(
      citizens.map(async (c) => ({ ...c, altcha: await fetchAndSolve(baseUrl) })),
    );
    const storedBefore = await countStatements(db, tableName);
    const totalBefore = (await progress(baseUrl)).total;

    const responses = await Promise.all(bodies.map((body) => postStatement(baseUrl, body)));

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(300);
    const receipts = new Set(responses.map((r) => (r.body as { receipt: string }).receipt));
    expect(receipts.size).toBe(300);
    const stored = await countStatements(db, tableName);
    expect(stored - storedBefore).toBe(300);
    const after = await progress(baseUrl);
    expect(after.total - totalBefore).toBe(300);
    expect(after.total).toBe(stored);
  });

  it('stores one statement when the same person submits 20 times at once (20 x 201, counted once)', async () => {
    const citizen = polishCitizen();
    recordPersonalValues(valuesFile, citizen);
    const bodies = await Promise.all(
      Array.from({ length: 20 }, async () => ({
        ...citizen,
        submissionId: crypto.randomUUID(),
        altcha: await fetchAndSolve(baseUrl),
      })),
    );
    const before = await countStatements(db, tableName);
    const totalBefore = (await progress(baseUrl)).total;
    const responses = await Promise.all(bodies.map((b) => postStatement(baseUrl, b)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => (r.body as { receipt: string }).receipt)).size).toBe(20);
    expect((await countStatements(db, tableName)) - before).toBe(1);
    expect((await progress(baseUrl)).total - totalBefore).toBe(1);
  });

  it('answers 10 concurrent retries of a duplicate with one answer (1 x 201, 9 x 200, same receipt)', async () => {
    const citizen = germanCitizen();
    recordPersonalValues(valuesFile, citizen);
    expect((await postStatement(baseUrl, { ...citizen, altcha: await fetchAndSolve(baseUrl) })).status).toBe(
      201,
    );
    const body = { ...citizen, submissionId: crypto.randomUUID(), altcha: await fetchAndSolve(baseUrl) };
    const before = await progress(baseUrl);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postStatement(baseUrl, body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await progress(baseUrl)).total).toBe(before.total);
  });

  it('counts once when the same submission is retried 10 times at once (1 x 201, 9 x 200, same receipt)', async () => {
    const citizen = germanCitizen();
    recordPersonalValues(valuesFile, citizen);
    const body = { ...citizen, altcha: await fetchAndSolve(baseUrl) };
    const before = await progress(baseUrl);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postStatement(baseUrl, body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(new Set(responses.map((r) => (r.body as { receipt: string }).receipt)).size).toBe(1);
    expect((await progress(baseUrl)).total).toBe(before.total + 1);
  });
});
