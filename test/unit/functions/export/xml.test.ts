import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forCountryCode, legacyDate, residenceCode, signatoryGroups } from '@ocs/functions/export/signatory';
import {
  initiativeHead,
  SUPPORT_FORM_TAIL,
  SubmissionDates,
  signatureXml,
  supportFormHead,
} from '@ocs/functions/export/support-form';
import { xmlText } from '@ocs/functions/export/xml-text';
import { encodeJson, statementAad } from '@ocs/functions/use-cases/personal-data';
import { MEMBER_STATE_RULES, MEMBER_STATES, type MemberStateCode, PART_B_STATES } from '@ocs/shared';
import { ExportFailedError } from '@ocs/shared/export';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSupportForm } from '../../../support/export-xml';
import { testInitiative } from '../support/data';
import {
  ArraySource,
  CONTEXT,
  exporter,
  INITIATIVE_ID,
  Keys,
  MemorySink,
  takeProducedXml,
  uuidOf,
  xsdErrors,
} from './support';

const HOSTILE = [
  'Tom & Jerry',
  '<script>alert(1)</script>',
  'a]]>b',
  `O'Hara "the" <great> & co`,
  'Łukasz Żółć',
  '山田 太郎',
  'Мария Иванова',
  'محمد',
  '🇪🇺 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'line\nbreak\ttab\r\ncarriage',
  '&amp; already escaped',
];

/** One document with `values` as the names of Polish signatories. */
function documentOf(values: readonly string[]): string {
  const head = supportFormHead('PL', initiativeHead(testInitiative()), 'gr');
  const body = values
    .map((value, i) =>
      signatureXml('2026-11-02', uuidOf(i), 1, [
        {
          name: 'oct.group.general',
          properties: [
            { key: 'oct.property.full.first.names', value },
            { key: 'oct.property.family.names', value },
          ],
        },
        {
          name: 'oct.group.id',
          properties: [{ key: 'oct.property.national.id.number', value: '44051401359' }],
        },
      ]),
    )
    .join('');
  return head + body + SUPPORT_FORM_TAIL;
}

// Every XML file any test here produced, failing exports included, is valid against the XSD.
afterEach(async () => {
  const files = takeProducedXml();
  if (files.length > 0) expect(await xsdErrors(files)).toEqual([]);
});

describe('xmlText', () => {
  it('escapes markup and carriage returns, and leaves other text as it is', () => {
    expect(xmlText(`a & b < c > d "e" 'f'`)).toBe(`a &amp; b &lt; c &gt; d "e" 'f'`);
    expect(xmlText('x]]>y')).toBe('x]]&gt;y');
    expect(xmlText('a\r\nb')).toBe('a&#13;\nb');
    expect(xmlText('Ελένη 山田')).toBe('Ελένη 山田');
  });

  it.each([
    ['NUL', '\u0000'],
    ['a C0 control', '\u0007'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'a\udc00b'],
    ['U+FFFE', '\ufffe'],
    ['U+FFFF', '\uffff'],
  ])('refuses %s instead of dropping it', (_, value) => {
    expect(() => xmlText(`name${value}`)).toThrow(ExportFailedError);
    try {
      xmlText(`secret-name${value}`);
    } catch (error) {
      expect((error as ExportFailedError).reason).toBe('unwritable_value');
      expect((error as Error).message).not.toContain('secret-name');
    }
  });

  it('gives every hostile value back unchanged through a real parser, in a document valid against the XSD', async () => {
    const xml = documentOf(HOSTILE);
    expect(await xsdErrors([{ name: 'PL.xml', xml }])).toEqual([]);
    const names = parseSupportForm(xml).signatures.map(
      (s) => s.groups[0]?.properties['oct.property.full.first.names'],
    );
    expect(names).toEqual(HOSTILE);
  });

  it('round-trips any string of XML characters (property-based)', () => {
    const xmlChar = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .filter((s) => !/[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s));
    fc.assert(
      fc.property(fc.array(xmlChar, { minLength: 1, maxLength: 5 }), (values) => {
        const names = parseSupportForm(documentOf(values)).signatures.map(
          (s) => s.groups[0]?.properties['oct.property.full.first.names'],
        );
        expect(names).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('escapes whatever the decrypted data holds, end to end through the export', async () => {
    const keys = new Keys();
    const sealer = keys.sealer();
    const value = `Tom & "Jerry" <O'Hara> ]]>`;
    const statementId = uuidOf(1);
    const sealed = {
      statementId,
      country: 'PL' as const,
      submittedAt: '2026-11-02T10:00:00.000Z',
      annexRevision: 1,
      mode: 'live' as const,
      personalData: await sealer.seal(
        encodeJson({
          firstNames: value,
          familyNames: value,
          documentType: 'personalNumber',
          documentNumber: '44051401359',
        }),
        statementAad(INITIATIVE_ID, 'PL', statementId),
        1_900_000_000,
      ),
    };
    const sink = new MemorySink();
    await exporter(keys, new ArraySource([sealed]), sink).execute({ exportId: 'e', countries: ['PL'] });
    const xml = sink.file('e', 'PL.xml');
    expect(await xsdErrors([{ name: 'PL.xml', xml }])).toEqual([]);
    expect(parseSupportForm(xml).signatures[0]?.groups[0]?.properties).toEqual({
      'oct.property.full.first.names': value,
      'oct.property.family.names': value,
    });
    expect(CONTEXT.purpose).toBe('statement-data');
  });
});

describe('the XSD', () => {
  const valid = documentOf(['Anna']);

  it.each([
    ['an unknown property key', valid.replace('oct.property.national.id.number', 'oct.property.shoe.size')],
    ['an unknown group', valid.replace('oct.group.id', 'oct.group.other')],
    [
      'elements out of order',
      valid.replace(
        /(<submissionDate>[^<]*<\/submissionDate>)(\s*)(<signatureIdentifier>[^<]*<\/signatureIdentifier>)/,
        '$3$2$1',
      ),
    ],
    [
      'a submission date in the wrong form',
      valid.replace('<submissionDate>2026-11-02', '<submissionDate>02/11/2026'),
    ],
    ['an upper-case country', valid.replace('<forCountry>pl', '<forCountry>PL')],
    ['a non-UUID identifier', valid.replace(uuidOf(0), 'receipt-1')],
    ['a namespace', valid.replace('<supportForm>', '<supportForm xmlns="urn:x">')],
    ['a bad registration number', valid.replace('ECI(2026)000042', 'ECI-2026-42')],
  ])('rejects %s', async (_, xml) => {
    expect(xml).not.toBe(valid);
    expect(await xsdErrors([{ name: 'PL.xml', xml }])).not.toEqual([]);
  });
});

describe('signatory groups', () => {
  it('writes dates of birth as dd/MM/yyyy and refuses other forms', () => {
    expect(legacyDate('1980-06-05')).toBe('05/06/1980');
    expect(() => legacyDate('05/06/1980')).toThrow(ExportFailedError);
  });

  it('writes Greece as configured, other countries in lower case', () => {
    expect(forCountryCode('EL', 'gr')).toBe('gr');
    expect(forCountryCode('EL', 'el')).toBe('el');
    expect(forCountryCode('DE', 'el')).toBe('de');
    expect(residenceCode('GR', 'el')).toBe('el');
    expect(residenceCode('GR', 'gr')).toBe('gr');
    expect(residenceCode('CH', 'gr')).toBe('ch');
  });

  it('gives each Part B document its legacy key (one id property)', () => {
    for (const code of PART_B_STATES) {
      for (const doc of MEMBER_STATE_RULES[code].documents) {
        const groups = signatoryGroups(
          code,
          { firstNames: 'A', familyNames: 'B', documentType: doc.type, documentNumber: 'N1' },
          'gr',
        );
        expect(groups[1]).toEqual({
          name: 'oct.group.id',
          properties: [{ key: `oct.property.${doc.legacyOcsKey}`, value: 'N1' }],
        });
      }
    }
  });

  it('refuses data that does not match the country’s part or document list', () => {
    expect(() => signatoryGroups('DE', { firstNames: 'A', familyNames: 'B' }, 'gr')).toThrow(
      ExportFailedError,
    );
    expect(() =>
      signatoryGroups(
        'PL',
        { firstNames: 'A', familyNames: 'B', documentType: 'passport', documentNumber: 'X' },
        'gr',
      ),
    ).toThrow(ExportFailedError);
    expect(() =>
      signatoryGroups(
        'PL',
        { firstNames: 'A', familyNames: 7, documentType: 'personalNumber', documentNumber: 'X' },
        'gr',
      ),
    ).toThrow(ExportFailedError);
  });

  it('uses, for every country, property keys that the Commission’s OCS 4 table lists for it (known exceptions aside)', () => {
    const csv = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'fixtures', 'export', 'ocs-4-country-properties.csv'),
      'utf8',
    );
    const table = new Map<string, Set<string>>();
    for (const line of csv.trim().split('\n').slice(1)) {
      const [country, , , property] = line.split(',');
      if (!country || !property) continue;
      if (!table.has(country)) table.set(country, new Set());
      table.get(country)?.add(property);
    }
    // Where the project's rulebook is newer than the Commission's table (docs/export-format.md).
    const exceptions: Record<string, string[]> = { gr: ['oct.property.date.of.birth'] };
    for (const code of MEMBER_STATES) {
      const rules = MEMBER_STATE_RULES[code];
      const data =
        rules.part === 'A'
          ? {
              firstNames: 'A',
              familyNames: 'B',
              dateOfBirth: '1980-01-01',
              street: 'S',
              streetNumber: '1',
              postalCode: '1',
              city: 'C',
              countryOfResidence: 'DE',
            }
          : undefined;
      const documents =
        rules.part === 'A'
          ? [data]
          : rules.documents.map((d) => ({
              firstNames: 'A',
              familyNames: 'B',
              documentType: d.type,
              documentNumber: 'N',
            }));
      const allowed = table.get(forCountryCode(code as MemberStateCode, 'gr'));
      expect(allowed, code).toBeDefined();
      for (const doc of documents) {
        const keys = signatoryGroups(code, doc ?? {}, 'gr').flatMap((g) => g.properties.map((p) => p.key));
        const unknown = keys.filter(
          (k) => !allowed?.has(k) && !(exceptions[forCountryCode(code, 'gr')] ?? []).includes(k),
        );
        expect(unknown, code).toEqual([]);
      }
    }
  });
});

describe('submission dates', () => {
  it('are the date in Brussels, across midnight and the daylight-saving changes', () => {
    const dates = new SubmissionDates();
    expect(dates.of('2026-11-30T22:59:59.999Z')).toBe('2026-11-30');
    expect(dates.of('2026-11-30T23:00:00.000Z')).toBe('2026-12-01');
    expect(dates.of('2026-07-14T21:59:00.000Z')).toBe('2026-07-14');
    expect(dates.of('2026-07-14T22:00:00.000Z')).toBe('2026-07-15');
    expect(dates.of('2026-03-28T23:30:00.000Z')).toBe('2026-03-29');
    expect(dates.of('2026-10-24T22:30:00.000Z')).toBe('2026-10-25');
  });
});
