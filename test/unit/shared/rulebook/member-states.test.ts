import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ANNEX_I_720_FROM,
  ANNEX_REVISION,
  documentRule,
  EU_POSTAL_CODE_RULES,
  GENERIC_POSTAL_CODE,
  ISO_COUNTRY_CODES,
  isValidPostalCode,
  MEMBER_STATE_LIST,
  MEMBER_STATE_RULES,
  MEMBER_STATES,
  minimumSignatories,
  normaliseCountryOfResidence,
  PART_A_STATES,
  PART_B_STATES,
  RULEBOOK_VERSION,
  SOURCES,
} from '@ocs/shared';
import { describe, expect, it } from 'vitest';

interface ReferenceState {
  code: string;
  iso3166_alpha2: string;
  name: string;
  ep_seats_2024_2029: number;
  min_signatories: number;
  min_age: number;
  annex_iii_part: 'A' | 'B';
  accepted_id_documents: { type: string; native_name: string; legacy_ocs_key: string }[];
  postcode_regex_from_public_code: string | null;
}

// The compiled reference table is a test fixture only: the rulebook never reads it at run time.
const referencePath = fileURLToPath(
  new URL('../../../fixtures/reference/member-states.json', import.meta.url),
);
const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as { member_states: ReferenceState[] };
const byCode = new Map(reference.member_states.map((s) => [s.code, s]));

/** Croatia's and Malta's legacy entries (passport, residence permit) are not in our data, nor the reference. */
const RETIRED_KEYS = new Set(['residence.permit']);

describe('rulebook data: cross-check with the compiled reference table', () => {
  it('has the 27 Member States, in protocol order', () => {
    expect(MEMBER_STATE_LIST.map((s) => s.code)).toEqual([...MEMBER_STATES]);
    expect(reference.member_states).toHaveLength(27);
  });

  it.each([...MEMBER_STATES])(
    '%s: name, ISO code, part, age, seats and threshold match the reference',
    (code) => {
      const ours = MEMBER_STATE_RULES[code];
      const ref = byCode.get(code);
      expect(ref).toBeDefined();
      expect(ours.name).toBe(ref?.name);
      expect(ours.iso).toBe(ref?.iso3166_alpha2);
      expect(ours.part).toBe(ref?.annex_iii_part);
      expect(ours.minAge).toBe(ref?.min_age);
      expect(ours.epSeats2024).toBe(ref?.ep_seats_2024_2029);
      expect(minimumSignatories(code, ANNEX_I_720_FROM)).toBe(ref?.min_signatories);
    },
  );

  it.each([...MEMBER_STATES])(
    '%s: accepted documents match the reference (count and legacy keys)',
    (code) => {
      const ours = MEMBER_STATE_RULES[code].documents;
      const ref = (byCode.get(code)?.accepted_id_documents ?? []).filter(
        (d) => !RETIRED_KEYS.has(d.legacy_ocs_key),
      );
      expect(ours.map((d) => d.legacyOcsKey).sort()).toEqual(ref.map((d) => d.legacy_ocs_key).sort());
    },
  );

  it.each(
    reference.member_states
      .filter((s) => s.postcode_regex_from_public_code !== null)
      .map((s) => [s.code, s] as const),
  )('%s: every postal code the reference pattern accepts is accepted for residence there', (_code, ref) => {
    const iso = ref.iso3166_alpha2;
    const samples: Record<string, string> = {
      DK: '1050',
      DE: '10115',
      EL: '10557',
      FR: '75001',
      LU: '1111',
      NL: '1234 AB',
      SK: '81101',
      FI: '00100',
    };
    const sample = samples[ref.code] ?? '';
    expect(new RegExp((ref.postcode_regex_from_public_code ?? '').split(' ')[0] ?? '').test(sample)).toBe(
      true,
    );
    expect(isValidPostalCode(sample, iso)).toBe(true);
  });

  it('the document mapping of the brief (contract types)', () => {
    const types = Object.fromEntries(MEMBER_STATE_LIST.map((s) => [s.code, s.documents.map((d) => d.type)]));
    expect(types).toEqual({
      BE: ['personalNumber'],
      BG: ['personalNumber'],
      CZ: ['idCard', 'passport'],
      DK: [],
      DE: [],
      EE: ['personalNumber'],
      IE: [],
      EL: [],
      ES: ['idCard', 'passport'],
      FR: [],
      HR: ['personalNumber'],
      IT: ['passport', 'idCard'],
      CY: ['idCard', 'passport'],
      LV: ['personalNumber'],
      LT: ['personalNumber'],
      LU: [],
      HU: ['idCard', 'passport', 'personalNumber'],
      MT: ['idCard'],
      NL: [],
      AT: ['passport', 'idCard'],
      PL: ['personalNumber'],
      PT: ['idCard', 'passport', 'citizensCard'],
      RO: ['idCard', 'passport', 'personalNumber'],
      SI: ['personalNumber'],
      SK: [],
      FI: [],
      SE: ['personalNumber'],
    });
  });
});

describe('rulebook data: internal consistency', () => {
  it('Part A and Part B are the contract lists', () => {
    expect(PART_A_STATES).toEqual(['DK', 'DE', 'IE', 'EL', 'FR', 'LU', 'NL', 'SK', 'FI']);
    expect(PART_B_STATES).toHaveLength(18);
  });

  it('minimum ages: 16 in AT, BE, DE, EE, FI, MT; 17 in EL; 18 elsewhere', () => {
    for (const s of MEMBER_STATE_LIST) {
      const expected = ['AT', 'BE', 'DE', 'EE', 'FI', 'MT'].includes(s.code) ? 16 : s.code === 'EL' ? 17 : 18;
      expect(s.minAge, s.code).toBe(expected);
    }
  });

  it('seats sum to 720 (2024-2029) and 705 (2019-2024)', () => {
    expect(MEMBER_STATE_LIST.reduce((a, s) => a + s.epSeats2024, 0)).toBe(720);
    expect(MEMBER_STATE_LIST.reduce((a, s) => a + s.epSeats2019, 0)).toBe(705);
  });

  it('Part B states accept at least one document; Part A states none', () => {
    for (const s of MEMBER_STATE_LIST) {
      expect(s.documents.length > 0, s.code).toBe(s.part === 'B');
    }
  });

  it('every pattern is fully anchored, has no top-level alternation, and is case-insensitive where letters occur', () => {
    const patterns = [
      ...MEMBER_STATE_LIST.flatMap((s) => s.documents.flatMap((d) => [...d.patterns, ...d.rejectPatterns])),
      ...Object.values(EU_POSTAL_CODE_RULES).flatMap((r) => r.patterns),
      ...GENERIC_POSTAL_CODE.patterns,
    ];
    expect(patterns.length).toBeGreaterThan(40);
    for (const p of patterns) {
      expect(p.source.startsWith('^'), p.source).toBe(true);
      expect(p.source.endsWith('$'), p.source).toBe(true);
      expect(p.source.replace(/\(\?:[^)]*\)/g, '').includes('|'), p.source).toBe(false);
      if (/[A-Z]/.test(p.source.replace(/\\[a-z]/gi, ''))) expect(p.flags, p.source).toContain('i');
    }
  });

  it('passports and ID cards are confirmable; personal numbers and citizen cards are not', () => {
    for (const s of MEMBER_STATE_LIST) {
      for (const d of s.documents) {
        const confirmable = d.type === 'passport' || d.type === 'idCard';
        expect(d.onFormatMismatch, `${s.code} ${d.type}`).toBe(
          confirmable ? 'format_unconfirmed' : 'invalid_format',
        );
      }
    }
  });

  it('the contract’s check-digit and birth-date countries are exactly those with a validator that checks them', () => {
    const withCheck = MEMBER_STATE_LIST.filter((s) => s.documents.some((d) => d.hasCheckDigit)).map(
      (s) => s.code,
    );
    expect(withCheck.sort()).toEqual(
      ['BE', 'BG', 'EE', 'ES', 'HR', 'LT', 'PL', 'PT', 'RO', 'SE', 'SI'].sort(),
    );
    const withBirthDate = MEMBER_STATE_LIST.filter((s) => s.documents.some((d) => d.encodesBirthDate)).map(
      (s) => s.code,
    );
    expect(withBirthDate.sort()).toEqual(['BE', 'BG', 'EE', 'LT', 'LV', 'PL', 'RO', 'SE', 'SI'].sort());
    expect(documentRule('LV', 'personalNumber')?.hasCheckDigit).toBe(false);
  });

  it('every rule names known sources, and unverified rules carry a note', () => {
    for (const s of MEMBER_STATE_LIST) {
      const provenances = [
        ...Object.values(s.provenance),
        ...s.documents.flatMap((d) => Object.values(d.provenance)),
      ];
      for (const p of provenances) {
        expect(p.source.length).toBeGreaterThan(0);
        for (const key of p.source) expect(SOURCES[key], key).toBeTypeOf('string');
        if (!p.verified) expect(p.note, s.code).toBeTruthy();
      }
    }
    expect(MEMBER_STATE_RULES.BE.provenance.minAge.verified).toBe(false);
    expect(MEMBER_STATE_RULES.EL.provenance.part.verified).toBe(false);
    expect(MEMBER_STATE_RULES.SE.documents[0]?.provenance.accepted.verified).toBe(false);
    expect(documentRule('LV', 'personalNumber')?.provenance.checkDigit?.verified).toBe(false);
    expect(MEMBER_STATE_RULES.DE.provenance.epSeats2019.verified).toBe(false);
  });

  it('the annex revision is a positive integer and named in the version', () => {
    expect(Number.isInteger(ANNEX_REVISION) && ANNEX_REVISION >= 1).toBe(true);
    expect(RULEBOOK_VERSION.startsWith(`${ANNEX_REVISION}.`)).toBe(true);
  });
});

describe('minimumSignatories', () => {
  it('is seats × 720 for registrations from 2024-05-02', () => {
    expect(ANNEX_I_720_FROM).toBe('2024-05-02');
    expect(minimumSignatories('DE', '2024-05-02')).toBe(69_120);
    expect(minimumSignatories('MT', '2026-01-15')).toBe(4_320);
    expect(minimumSignatories('AT', '2026-11-01')).toBe(14_400);
  });

  it('is the 2019-2024 seats × 705 before', () => {
    expect(minimumSignatories('DE', '2024-05-01')).toBe(67_680);
    expect(minimumSignatories('BE', '2022-03-10')).toBe(21 * 705);
    expect(minimumSignatories('LV', '2021-01-01')).toBe(8 * 705);
  });

  it('refuses a malformed registration date', () => {
    expect(() => minimumSignatories('DE', '2024-02-30')).toThrow(RangeError);
    expect(() => minimumSignatories('DE', '02/05/2024')).toThrow(RangeError);
  });
});

describe('countries of residence', () => {
  it('lists the 249 assigned ISO 3166-1 alpha-2 codes plus XK, each with a CLDR region name', () => {
    expect(ISO_COUNTRY_CODES).toHaveLength(250);
    expect(new Set(ISO_COUNTRY_CODES).size).toBe(250);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of ISO_COUNTRY_CODES) expect(names.of(code), code).not.toBe(code);
  });

  it('accepts EL and GR for Greece (stored GR), any case; refuses unassigned codes', () => {
    expect(normaliseCountryOfResidence('el')).toBe('GR');
    expect(normaliseCountryOfResidence(' GR ')).toBe('GR');
    expect(normaliseCountryOfResidence('ch')).toBe('CH');
    for (const bad of ['UK', 'EU', 'ZZ', 'XX', 'D', 'DEU', ''])
      expect(normaliseCountryOfResidence(bad), bad).toBeUndefined();
  });

  it('has a postal-code rule for every EU country, by ISO code, linked from the Member State', () => {
    expect(Object.keys(EU_POSTAL_CODE_RULES).sort()).toEqual(MEMBER_STATE_LIST.map((s) => s.iso).sort());
    for (const s of MEMBER_STATE_LIST) expect(s.postalCode.iso, s.code).toBe(s.iso);
    expect(MEMBER_STATE_RULES.EL.postalCode.patterns.some((p) => p.test('10557'))).toBe(true);
  });

  it.each([
    ['NL', '1234 AB', true],
    ['NL', '1234AB', true],
    ['NL', '1234 A', false],
    ['AT', '1010', true],
    ['AT', '10115', false],
    ['DE', '10115', true],
    ['DE', '1011', false],
    ['PL', '00-950', true],
    ['PT', '1000-001', true],
    ['IE', 'D02 X285', true],
    ['IE', 'D6W 1234', true],
    ['MT', 'VLT 1117', true],
    ['SE', '114 55', true],
    ['GR', '105 57', true],
    ['CZ', '110 00', true],
    ['LV', 'LV-1050', true],
    ['LU', 'L-1111', true],
    ['US', '12345-6789', true],
    ['GB', 'SW1A 1AA', true],
    ['CH', '8001', true],
    ['CH', '-8001', false],
  ])('%s postal code %s → %s', (country, code, expected) => {
    expect(isValidPostalCode(code, country)).toBe(expected);
  });
});
