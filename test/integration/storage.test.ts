import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { getJson, signRecorded } from '../support/api';
import { germanCitizen, polishCitizen } from '../support/citizens';
import { localDynamo, scanAll } from '../support/table';

/**
 * How statements rest in the table. The search of every log line and raw item for personal data
 * runs once every suite has sent its data, in the global teardown (privacy-scan.ts).
 */
const baseUrl = inject('baseUrl');
const valuesFile = inject('personalValuesFile');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');

describe('statements at rest', () => {
  it('stores each statement encrypted with its key reference, context, annex revision and legal expiry', async () => {
    expect((await signRecorded(baseUrl, valuesFile, germanCitizen())).status).toBe(201);
    expect((await signRecorded(baseUrl, valuesFile, polishCitizen())).status).toBe(201);
    const initiative = (await getJson(baseUrl, '/api/initiative')).body as { collection: { start: string } };
    const [y, m, d] = initiative.collection.start.split('-').map(Number) as [number, number, number];
    const deadline = Date.UTC(y + Math.floor((m - 1 + 21) / 12), (m - 1 + 21) % 12, d) / 1000;

    const items = await scanAll(db, tableName);
    const statements = items.filter((i) => i.pk?.S?.startsWith('S#'));

    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (const item of statements) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'annexRevision',
          'cday',
          'country',
          'cshard',
          'ct',
          'ctx',
          'dk',
          'expiresAt',
          'iv',
          'pk',
          // The receipts index's key (R#<receipt>): a withdrawal finds the statement by it.
          'rcpt',
          'sk',
          'statementId',
          'submissionId',
          'submittedAt',
        ].sort(),
      );
      expect(item.iv?.B?.length).toBe(12);
      expect(item.ctx?.M?.purpose?.S).toBe('statement-data');
      expect(Number(item.expiresAt?.N)).toBe(deadline);
      expect(items.some((k) => k.pk?.S === `K#${item.dk?.S}`)).toBe(true);
      // Counted where it says: its shard's counter item of its day has its country.
      const counter = items.find((k) => k.pk?.S === `C#${item.cshard?.N}` && k.sk?.S === item.cday?.S);
      expect(Number(counter?.[item.country?.S ?? '']?.N)).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps of a duplicate only its answer: receipt and time, for the retry window, naming no statement', async () => {
    const citizen = germanCitizen();
    expect((await signRecorded(baseUrl, valuesFile, citizen)).status).toBe(201);
    const again = await signRecorded(baseUrl, valuesFile, { ...citizen, submissionId: randomUUID() });
    expect(again.status).toBe(201);

    const items = await scanAll(db, tableName);
    const answers = items.filter((item) => item.pk?.S?.startsWith('D#'));
    const statementIds = new Set(
      items.filter((item) => item.pk?.S?.startsWith('S#')).map((item) => item.statementId?.S),
    );
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.map((item) => item.receipt?.S)).toContain((again.body as { receipt: string }).receipt);
    for (const item of answers) {
      expect(Object.keys(item).sort()).toEqual(['expiresAt', 'pk', 'receipt', 'sk', 'submittedAt']);
      expect(item.pk?.S).toMatch(/^D#[0-9a-f]{64}$/);
      const submittedAt = Math.floor(Date.parse(item.submittedAt?.S ?? '') / 1000);
      expect(Number(item.expiresAt?.N) - submittedAt).toBe(48 * 60 * 60);
      expect(statementIds.has(item.receipt?.S)).toBe(false);
    }
  });
});
