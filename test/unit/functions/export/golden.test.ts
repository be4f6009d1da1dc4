import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VALID_STATEMENTS } from '../../../fixtures/rulebook/statements';
import {
  ArraySource,
  exporter,
  Keys,
  MemorySink,
  type PlainStatement,
  sealAll,
  takeProducedXml,
  uuidOf,
  xsdErrors,
} from './support';

/**
 * Golden files: the exact bytes of one Part A country (DE) and one Part B country (PL). A change
 * to the layout shows here as a diff to review. `OCS_UPDATE_GOLDEN=1` rewrites them (then review
 * the diff before committing).
 */
const goldenDir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'export', 'golden');

const german = (firstNames: string, familyNames: string, address: Record<string, string>) => ({
  ...VALID_STATEMENTS.DE,
  firstNames,
  familyNames,
  ...address,
});
const polish = (firstNames: string, familyNames: string, documentNumber: string) => ({
  ...VALID_STATEMENTS.PL,
  firstNames,
  familyNames,
  documentNumber,
});

const STATEMENTS: PlainStatement[] = [
  {
    body: german('Zoë Anne-Marie', "O'Brien-Müller", {
      dateOfBirth: '1961-02-03',
      street: 'Straße des 17. Juni',
      streetNumber: '',
      postalCode: '10623',
      city: 'Berlin',
      countryOfResidence: 'DE',
    }),
    statementId: uuidOf(0xde01),
    submittedAt: '2026-11-30T23:30:00.000Z',
  },
  {
    body: german('Jürgen', 'Weiß', {
      dateOfBirth: '1990-12-31',
      street: 'Rue de l’Église',
      streetNumber: '3 bis',
      postalCode: '1000',
      city: 'Bruxelles',
      countryOfResidence: 'BE',
    }),
    statementId: uuidOf(0xde02),
    submittedAt: '2026-11-02T08:15:00.000Z',
  },
  {
    body: german('Ελένη', 'Παπαδοπούλου', {
      dateOfBirth: '1975-07-14',
      street: 'Οδός Ερμού',
      streetNumber: '10',
      postalCode: '105 57',
      city: 'Αθήνα',
      countryOfResidence: 'EL',
    }),
    statementId: uuidOf(0xde03),
    submittedAt: '2026-11-02T08:15:00.000Z',
  },
  {
    body: polish('Zażółć', 'Gęślą-Jaźń', '44051401359'),
    statementId: uuidOf(0x9101),
    submittedAt: '2026-11-03T10:00:00.000Z',
  },
  {
    body: polish('Jan Maria', "D'Arc", '02070803628'),
    statementId: uuidOf(0x9102),
    submittedAt: '2026-11-03T09:00:00.000Z',
  },
  {
    body: { ...VALID_STATEMENTS.ES },
    statementId: uuidOf(0xe501),
    submittedAt: '2026-11-03T09:00:00.000Z',
  },
  {
    body: polish('Test', 'Mode', '44051401359'),
    statementId: uuidOf(0x9103),
    submittedAt: '2026-11-03T09:00:00.000Z',
    mode: 'test',
  },
];

// Every XML file any test here produced, failing exports included, is valid against the XSD.
afterEach(async () => {
  const files = takeProducedXml();
  if (files.length > 0) expect(await xsdErrors(files)).toEqual([]);
});

describe('export golden files', () => {
  it.each(['DE', 'PL'])('%s.xml is byte for byte the golden file, and valid', async (country) => {
    const keys = new Keys();
    const sink = new MemorySink();
    const sealed = await sealAll(STATEMENTS, keys.sealer(2));
    await exporter(keys, new ArraySource(sealed.reverse()), sink).execute({
      exportId: 'golden',
      countries: 'all',
    });
    const actual = sink.file('golden', `${country}.xml`);
    const path = join(goldenDir, `${country}.xml`);
    if (process.env.OCS_UPDATE_GOLDEN === '1') writeFileSync(path, actual);
    expect(actual.toString('utf8')).toBe(readFileSync(path, 'utf8'));
    expect(await xsdErrors([{ name: `${country}.xml`, xml: actual }])).toEqual([]);
  });
});
