import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchAndSolve } from '../support/altcha';
import { getJson, postStatement, progress } from '../support/api';
import {
  germanCitizen,
  pesel,
  polishCitizen,
  recordPersonalValues,
  type TestStatement,
} from '../support/citizens';
import { countStatements, localDynamo } from '../support/table';

const baseUrl = inject('baseUrl');
const valuesFile = inject('personalValuesFile');
const db = localDynamo(inject('dynamoEndpoint'));
const tableName = inject('tableName');

async function sign(statement: TestStatement) {
  recordPersonalValues(valuesFile, statement);
  return postStatement(baseUrl, { ...statement, altcha: await fetchAndSolve(baseUrl) });
}

describe('POST /api/statements against the local server', () => {
  beforeAll(async () => {
    const res = await getJson(baseUrl, '/api/initiative');
    expect(res.status).toBe(200);
  });

  it('stores and counts a Part A statement (Germany) with a 201 receipt', async () => {
    const before = await progress(baseUrl);
    const res = await sign(germanCitizen());
    expect(res.status).toBe(201);
    const body = res.body as { receipt: string; submittedAt: string };
    expect(body.receipt).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(body.submittedAt).toISOString()).toBe(body.submittedAt);
    const after = await progress(baseUrl);
    expect(after.countries.DE?.count).toBe((before.countries.DE?.count ?? 0) + 1);
    expect(after.total).toBe(before.total + 1);
  });

  it('stores and counts a Part B statement (Poland, PESEL)', async () => {
    const before = await progress(baseUrl);
    const res = await sign(polishCitizen());
    expect(res.status).toBe(201);
    expect((await progress(baseUrl)).countries.PL?.count).toBe((before.countries.PL?.count ?? 0) + 1);
  });

  it('answers a retry with the same submissionId with 200 and the first receipt, counted once', async () => {
    const citizen = polishCitizen();
    const altcha = await fetchAndSolve(baseUrl);
    recordPersonalValues(valuesFile, citizen);
    const first = await postStatement(baseUrl, { ...citizen, altcha });
    const before = await progress(baseUrl);
    const retry = await postStatement(baseUrl, { ...citizen, altcha });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await progress(baseUrl)).total).toBe(before.total);
  });

  it('answers the same German with case, whitespace and diacritic variants like an acceptance, counting nothing', async () => {
    const citizen = germanCitizen();
    const first = await sign(citizen);
    expect(first.status).toBe(201);
    const storedBefore = await countStatements(db, tableName);
    const before = await progress(baseUrl);
    const variants = [
      { firstNames: citizen.firstNames.toUpperCase() },
      { familyNames: `  ${citizen.familyNames.replace('ü', 'u')}  ` },
      { firstNames: citizen.firstNames.replace(' ', '   ') },
      { familyNames: citizen.familyNames.toLowerCase().replace('ü', 'Ü') },
    ];
    const receipts = new Set([(first.body as { receipt: string }).receipt]);
    for (const variant of variants) {
      const res = await sign({ ...citizen, ...variant, submissionId: crypto.randomUUID() });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe(first.headers.get('content-type'));
      const body = res.body as { receipt: string; submittedAt: string };
      expect(Object.keys(body)).toEqual(Object.keys(first.body as object));
      expect(body.receipt).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(body.submittedAt).toISOString()).toBe(body.submittedAt);
      receipts.add(body.receipt);
    }
    expect(receipts.size).toBe(variants.length + 1);
    expect(await countStatements(db, tableName)).toBe(storedBefore);
    expect((await progress(baseUrl)).total).toBe(before.total);
  });

  it('answers the same PESEL written with separators like an acceptance (201), counting nothing', async () => {
    const citizen = polishCitizen();
    expect((await sign(citizen)).status).toBe(201);
    const before = await progress(baseUrl);
    const number = String(citizen.documentNumber);
    const spaced = `${number.slice(0, 4)} ${number.slice(4, 8)}-${number.slice(8)}`;
    const res = await sign({
      ...citizen,
      documentNumber: spaced,
      firstNames: 'Other Name',
      submissionId: crypto.randomUUID(),
    });
    expect(res.status).toBe(201);
    expect((await progress(baseUrl)).countries.PL?.count).toBe(before.countries.PL?.count);
  });

  it('answers a retry of a duplicate with 200 and the first answer (same or new challenge)', async () => {
    const citizen = polishCitizen();
    expect((await sign(citizen)).status).toBe(201);
    const duplicate = { ...citizen, submissionId: crypto.randomUUID() };
    const altcha = await fetchAndSolve(baseUrl);
    const first = await postStatement(baseUrl, { ...duplicate, altcha });
    const before = await progress(baseUrl);

    const sameChallenge = await postStatement(baseUrl, { ...duplicate, altcha });
    const newChallenge = await sign(duplicate);

    expect(first.status).toBe(201);
    for (const retry of [sameChallenge, newChallenge]) {
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
    }
    expect((await progress(baseUrl)).total).toBe(before.total);
  });

  it('answers a first attempt and its retry alike whether the person had signed or not', async () => {
    const signed = polishCitizen();
    expect((await sign(signed)).status).toBe(201);
    const fresh = polishCitizen();
    const outcomes = [];
    for (const citizen of [{ ...signed, submissionId: crypto.randomUUID() }, fresh]) {
      const altcha = await fetchAndSolve(baseUrl);
      recordPersonalValues(valuesFile, citizen);
      const first = await postStatement(baseUrl, { ...citizen, altcha });
      const retry = await postStatement(baseUrl, { ...citizen, altcha });
      outcomes.push({
        statuses: [first.status, retry.status],
        same: JSON.stringify(retry.body) === JSON.stringify(first.body),
        headers: [...first.headers.keys()].filter((h) => h !== 'date' && h !== 'x-request-id').sort(),
      });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]).toMatchObject({ statuses: [201, 200], same: true });
  });

  it('refuses a PESEL with a wrong check digit next to its field (422 invalid_checksum), storing nothing', async () => {
    const citizen = polishCitizen();
    const number = String(citizen.documentNumber);
    const wrong = `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}`;
    const before = await countStatements(db, tableName);
    const res = await sign({ ...citizen, documentNumber: wrong });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      errors: [expect.objectContaining({ field: 'documentNumber', code: 'invalid_checksum' })],
    });
    expect(await countStatements(db, tableName)).toBe(before);
  });

  it('reports every field error at once (422)', async () => {
    const res = await postStatement(baseUrl, {
      nationality: 'DE',
      firstNames: '<script>',
      familyNames: '',
      dateOfBirth: '2099-01-01',
      certify: false,
      privacyStatement: true,
      submissionId: crypto.randomUUID(),
      altcha: 'x',
      favouriteColour: 'blue',
    });
    expect(res.status).toBe(422);
    const errors = (res.body as { errors: Array<{ field: string; code: string }> }).errors;
    const pairs = errors.map((e) => `${e.field}:${e.code}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'firstNames:invalid_characters',
        'familyNames:required',
        'street:required',
        'city:required',
        'favouriteColour:not_allowed',
      ]),
    );
    expect(pairs.some((p) => p.startsWith('dateOfBirth:'))).toBe(true);
    expect(pairs.some((p) => p.startsWith('certify:'))).toBe(true);
  });

  it('postal codes: a country prefix is removed; an unusual format needs confirmPostalCode', async () => {
    const prefixed = await sign({ ...germanCitizen(), postalCode: 'D-10115' });
    expect(prefixed.status).toBe(201);

    const unusual = { ...germanCitizen(), postalCode: '1011' };
    const refused = await sign(unusual);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      errors: [{ field: 'postalCode', code: 'format_unconfirmed', message: expect.any(String) }],
    });
    const confirmed = await sign({ ...unusual, submissionId: crypto.randomUUID(), confirmPostalCode: true });
    expect(confirmed.status).toBe(201);
  });

  it('refuses a missing, garbage, tampered or reused challenge with 403 challenge_failed', async () => {
    const citizen = polishCitizen();
    recordPersonalValues(valuesFile, citizen);
    const garbage = await postStatement(baseUrl, { ...citizen, altcha: 'bm90IGEgcGF5bG9hZA==' });
    expect(garbage.status).toBe(403);
    expect(garbage.body).toMatchObject({ error: { code: 'challenge_failed' } });

    const solved = await fetchAndSolve(baseUrl);
    const decoded = JSON.parse(Buffer.from(solved, 'base64').toString()) as {
      challenge: { parameters: { expiresAt: number } };
    };
    decoded.challenge.parameters.expiresAt += 3600;
    const tampered = Buffer.from(JSON.stringify(decoded)).toString('base64');
    expect((await postStatement(baseUrl, { ...citizen, altcha: tampered })).status).toBe(403);

    // A missing or empty payload is a failed challenge too (403), not a field error (422).
    const missing = await postStatement(baseUrl, { ...citizen, submissionId: crypto.randomUUID() });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ error: { code: 'challenge_failed' } });
    const empty = await postStatement(baseUrl, { ...citizen, altcha: '', submissionId: crypto.randomUUID() });
    expect(empty.status).toBe(403);
    expect(empty.body).toMatchObject({ error: { code: 'challenge_failed' } });

    expect((await postStatement(baseUrl, { ...citizen, altcha: solved })).status).toBe(201);
    const other = polishCitizen();
    recordPersonalValues(valuesFile, other);
    const reused = await postStatement(baseUrl, { ...other, altcha: solved });
    expect(reused.status).toBe(403);
    expect(reused.body).toMatchObject({ error: { code: 'challenge_failed' } });
  });

  it('refuses a body over 16 KiB with 413 too_large', async () => {
    const res = await postStatement(baseUrl, undefined, {
      raw: JSON.stringify({ ...polishCitizen(), padding: 'x'.repeat(16 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'too_large' } });
  });

  it('refuses anything but application/json with 415 unsupported_media_type', async () => {
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=iso-8859-1',
    ]) {
      const res = await postStatement(baseUrl, polishCitizen(), { contentType });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
  });

  it('refuses a body that is not a JSON object with 400 malformed_json', async () => {
    for (const raw of ['{"nationality":', 'null', '[]', '"text"', '42', '']) {
      const res = await postStatement(baseUrl, undefined, { raw });
      expect(res.status, raw).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'malformed_json' } });
    }
  });

  it('answers unknown API routes with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${baseUrl}/api/nothing-here`)).status).toBe(404);
    const res = await fetch(`${baseUrl}/api/statements`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('serves a challenge that is not cacheable and expires within 10 minutes', async () => {
    const res = await fetch(`${baseUrl}/api/challenge`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const challenge = (await res.json()) as { parameters: { expiresAt: number }; signature: string };
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    const lifetime = challenge.parameters.expiresAt - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(600);
  });

  it('serves progress for all 27 Member States with thresholds, cacheable for at most 60 s', async () => {
    const res = await fetch(`${baseUrl}/api/progress`);
    const maxAge = /max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1];
    expect(Number(maxAge)).toBeLessThanOrEqual(60);
    const body = (await res.json()) as { countries: Record<string, { count: number; threshold: number }> };
    expect(Object.keys(body.countries)).toHaveLength(27);
    expect(body.countries.EL?.threshold).toBe(15_120);
    expect(body.countries.DE?.threshold).toBe(69_120);
    expect(body.countries.GR).toBeUndefined();
  });

  it('accepts a PESEL for a new person right after refusals (nothing half-stored)', async () => {
    const citizen = { ...polishCitizen(), documentNumber: pesel() };
    expect((await sign(citizen)).status).toBe(201);
  });
});
