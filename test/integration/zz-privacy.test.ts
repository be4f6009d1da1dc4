import { readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { getJson } from '../support/api';
import { localDynamo, scanAll } from '../support/table';

/**
 * Runs last (the sequencer orders files by name). Every personal value that any integration
 * suite sent was recorded; none may appear in a log line of the server or in plaintext in any
 * raw DynamoDB item.
 */
const logFile = inject('logFile');
const valuesFile = inject('personalValuesFile');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function personalValues(): string[] {
  const values = new Set<string>();
  for (const line of readFileSync(valuesFile, 'utf8').split('\n')) {
    if (!line) continue;
    for (const value of JSON.parse(line) as string[]) {
      // Each part of a multi-word name is distinctive on its own (random words).
      for (const part of [value, ...value.split(/\s+/)]) {
        if (part.length >= 6 && !/^(anneliese|zofia|berlin)$/i.test(part)) values.add(fold(part));
      }
    }
  }
  return [...values];
}

function strings(value: AttributeValue | undefined): string[] {
  if (!value) return [];
  if (value.S !== undefined) return [value.S];
  if (value.N !== undefined) return [value.N];
  if (value.B !== undefined)
    return [Buffer.from(value.B).toString('utf8'), Buffer.from(value.B).toString('latin1')];
  if (value.M) return Object.values(value.M).flatMap(strings);
  if (value.L) return value.L.flatMap(strings);
  if (value.SS) return value.SS;
  return [];
}

describe('privacy of personal data', () => {
  const values = personalValues();

  it('has recorded the personal data the suites sent', () => {
    expect(values.length).toBeGreaterThan(500);
  });

  it('never writes a name, birth date, address or document number into a log line', () => {
    const log = fold(readFileSync(logFile, 'utf8'));
    expect(log.length).toBeGreaterThan(10_000);
    const leaked = values.filter((v) => log.includes(v));
    expect(leaked).toEqual([]);
  });

  it('never tells a duplicate from an acceptance in a request log line (aggregates only)', () => {
    const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    const posts = lines.filter((line) => line.includes('"route":"POST /api/statements"'));
    expect(posts.length).toBeGreaterThan(300);
    expect(posts.filter((line) => line.includes('"status":409'))).toEqual([]);
    const telling = lines.filter(
      (line) => /duplicate|already_signed/i.test(line) && !line.includes('"message":"statement intake"'),
    );
    expect(telling).toEqual([]);
  });

  it('never stores a name, birth date, address or document number in plaintext', async () => {
    const items = await scanAll(db, tableName);
    const statements = items.filter((item) => item.pk?.S?.startsWith('S#'));
    expect(statements.length).toBeGreaterThan(300);
    const text = fold(items.flatMap((item) => Object.values(item).flatMap(strings)).join('\u0000'));
    const leaked = values.filter((v) => text.includes(v));
    expect(leaked).toEqual([]);
  });

  it('stores each statement encrypted with its key reference, context, annex revision and legal expiry', async () => {
    const initiative = (await getJson(inject('baseUrl'), '/api/initiative')).body as {
      collection: { start: string };
    };
    const [y, m, d] = initiative.collection.start.split('-').map(Number) as [number, number, number];
    const deadline = Date.UTC(y + Math.floor((m - 1 + 21) / 12), (m - 1 + 21) % 12, d) / 1000;
    const items = await scanAll(db, tableName);
    for (const item of items.filter((i) => i.pk?.S?.startsWith('S#'))) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'annexRevision',
          'country',
          'ct',
          'ctx',
          'dk',
          'expiresAt',
          'iv',
          'pk',
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
    }
  });

  it('keeps of each duplicate only its answer: receipt and time, for the retry window, naming no statement', async () => {
    const items = await scanAll(db, tableName);
    const answers = items.filter((item) => item.pk?.S?.startsWith('D#'));
    const statementIds = new Set(
      items.filter((item) => item.pk?.S?.startsWith('S#')).map((item) => item.statementId?.S),
    );
    expect(answers.length).toBeGreaterThanOrEqual(20);
    for (const item of answers) {
      expect(Object.keys(item).sort()).toEqual(['expiresAt', 'pk', 'receipt', 'sk', 'submittedAt']);
      expect(item.pk?.S).toMatch(/^D#[0-9a-f]{64}$/);
      const submittedAt = Math.floor(Date.parse(item.submittedAt?.S ?? '') / 1000);
      expect(Number(item.expiresAt?.N) - submittedAt).toBe(48 * 60 * 60);
      expect(statementIds.has(item.receipt?.S)).toBe(false);
    }
  });
});
