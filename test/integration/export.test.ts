import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@ocs/functions/config/config';
import { localExportsDir, makeRunExport } from '@ocs/functions/export/wiring';
import {
  ANNEX_REVISION,
  MEMBER_STATE_RULES,
  MEMBER_STATES,
  type MemberStateCode,
  signingDay,
  validateStatement,
} from '@ocs/shared';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { VALID_STATEMENTS } from '../fixtures/rulebook/statements';
import { fetchAndSolve } from '../support/altcha';
import { getJson, postStatement } from '../support/api';
import { recordPersonalValues, word } from '../support/citizens';
import { type ParsedSignature, parseSupportForm } from '../support/export-xml';
import { countStatements, localDynamo } from '../support/table';
import { xsdErrors } from '../unit/functions/export/support';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const dynamoEndpoint = inject('dynamoEndpoint');
const tableName = inject('tableName');
const valuesFile = inject('personalValuesFile');

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The export, in this process, against the running system's DynamoDB Local, keys and data dir. */
function localExport() {
  return makeRunExport(
    parseConfig({
      OCS_RUNTIME: 'local',
      OCS_DATA_DIR: dataDir,
      OCS_DYNAMODB_ENDPOINT: dynamoEndpoint,
      OCS_TABLE_NAME: tableName,
      OCS_INITIATIVE_ID: 'eci-2026-000001',
    }),
    { maxRunEntries: 7 },
  );
}

interface Signed {
  readonly country: MemberStateCode;
  readonly body: Record<string, unknown>;
  readonly receipt: string;
  readonly submittedAt: string;
}

/** What the country file must say about a statement: what the citizen sent, as the rulebook normalised it. */
function expectedGroups(s: Signed): ParsedSignature['groups'] {
  const validation = validateStatement(s.body, { today: signingDay(new Date(s.submittedAt)) });
  if (!validation.ok) throw new Error(`${s.country}: fixture no longer valid`);
  const v = validation.value;
  const general = {
    'oct.property.full.first.names': v.firstNames,
    'oct.property.family.names': v.familyNames,
  };
  if (v.part === 'A') {
    const [y, m, d] = v.dateOfBirth.split('-');
    return [
      {
        name: 'oct.group.general',
        properties: { ...general, 'oct.property.date.of.birth': `${d}/${m}/${y}` },
      },
      {
        name: 'oct.group.address',
        properties: {
          'oct.property.street': v.street,
          'oct.property.street.number': v.streetNumber,
          'oct.property.postal.code': v.postalCode,
          'oct.property.city': v.city,
          'oct.property.country': v.countryOfResidence === 'GR' ? 'gr' : v.countryOfResidence.toLowerCase(),
        },
      },
    ];
  }
  const doc = MEMBER_STATE_RULES[s.country].documents.find((d) => d.type === v.documentType);
  return [
    { name: 'oct.group.general', properties: general },
    { name: 'oct.group.id', properties: { [`oct.property.${doc?.legacyOcsKey}`]: v.documentNumber } },
  ];
}

describe('export round trip against the local system', () => {
  const signed: Signed[] = [];

  beforeAll(async () => {
    for (const country of MEMBER_STATES) {
      const body = {
        ...VALID_STATEMENTS[country],
        // Not "Export": that word is in the export's own log lines and audit entries.
        firstNames: `Ottilie ${cap(word())}`,
        familyNames: `Roundtrip ${cap(word())}`,
        submissionId: crypto.randomUUID(),
      };
      recordPersonalValues(valuesFile, body as never);
      const res = await postStatement(baseUrl, { ...body, altcha: await fetchAndSolve(baseUrl) });
      expect(res.status, `${country}: ${JSON.stringify(res.body)}`).toBe(201);
      const { receipt, submittedAt } = res.body as { receipt: string; submittedAt: string };
      signed.push({ country, body, receipt, submittedAt });
    }
    expect((await getJson(baseUrl, '/api/progress')).status).toBe(200);
  });

  it('finds each statement in its own country file only, with the right fields; every file valid', async () => {
    const result = await localExport().execute({ exportId: 'it-export-1', countries: 'all' });
    const dir = join(localExportsDir(dataDir), 'it-export-1');
    const names = readdirSync(dir).sort();
    expect(names).toContain('manifest.json');
    expect(names.filter((n) => n.endsWith('.partial'))).toEqual([]);
    const xmlNames = names.filter((n) => n.endsWith('.xml'));
    expect(xmlNames).toEqual([...MEMBER_STATES].sort().map((c) => `${c}.xml`));

    const files = new Map(xmlNames.map((n) => [n.slice(0, 2), readFileSync(join(dir, n))]));
    expect(await xsdErrors(xmlNames.map((n) => ({ name: n, xml: files.get(n.slice(0, 2)) ?? '' })))).toEqual(
      [],
    );

    const where = new Map<string, Array<{ country: string; signature: ParsedSignature }>>();
    let total = 0;
    for (const [country, bytes] of files) {
      const form = parseSupportForm(bytes);
      expect(form.forCountry).toBe(country === 'EL' ? 'gr' : country.toLowerCase());
      expect(form.initiativeData.registrationNumber).toBe('ECI(2026)000001');
      for (const signature of form.signatures) {
        total += 1;
        const list = where.get(signature.signatureIdentifier) ?? [];
        list.push({ country, signature });
        where.set(signature.signatureIdentifier, list);
      }
    }
    for (const s of signed) {
      const found = where.get(s.receipt);
      expect(
        found?.map((f) => f.country),
        s.country,
      ).toEqual([s.country]);
      const signature = found?.[0]?.signature;
      expect(signature?.annexRevision).toBe(String(ANNEX_REVISION));
      expect(signature?.submissionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(signature?.groups).toEqual(expectedGroups(s));
    }
    // Every statement of the table (other suites signed some too) is exported exactly once.
    expect(where.size).toBe(total);
    expect(total).toBe(await countStatements(localDynamo(dynamoEndpoint), tableName));

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(result.manifest);
    for (const line of manifest.files as Array<{
      country: string;
      bytes: number;
      sha256: string;
      statements: number;
    }>) {
      const bytes = files.get(line.country);
      expect(line.bytes).toBe(bytes?.length);
      expect(line.sha256).toBe(
        createHash('sha256')
          .update(bytes ?? '')
          .digest('hex'),
      );
    }
    expect(result.stats.keyDecryptCalls).toBe(result.stats.dataKeys);
  });

  it('writes byte-identical country files on a second export of the same data', async () => {
    const first = await localExport().execute({ exportId: 'it-export-2', countries: ['DE', 'PL', 'EL'] });
    const second = await localExport().execute({ exportId: 'it-export-3', countries: ['DE', 'PL', 'EL'] });
    expect(second.files).toEqual(first.files);
    for (const name of ['DE.xml', 'PL.xml', 'EL.xml']) {
      const a = readFileSync(join(localExportsDir(dataDir), 'it-export-2', name));
      const b = readFileSync(join(localExportsDir(dataDir), 'it-export-3', name));
      expect(a.equals(b), name).toBe(true);
    }
  });
});
