/**
 * The rulebook table against the reference files in `test/fixtures/reference/`: the project's
 * compiled notes (`member-states.json`, `eci-requirements.md`) and the validation rules of the
 * Commission's collection software (`ocs-4-validation-rules.sql`), regexes included.
 *
 * Regexes are compared by their languages, on strings generated from each side: every string the
 * reference pattern accepts must be accepted by ours, and the other way round. Letters compare
 * case-insensitively (the contract's rule; some Commission patterns forget to lower-case the
 * value). Where the project deliberately differs, the difference is listed below with its reason,
 * and the test checks that it is still a real difference, so the list cannot go stale.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DOCUMENT_NUMBER_VALIDATORS,
  EU_POSTAL_CODE_RULES,
  GENERIC_POSTAL_CODE,
  MEMBER_STATE_LIST,
  MEMBER_STATE_RULES,
  type MemberStateCode,
  normaliseDocumentNumber,
  type Provenance,
  postalCodeMayBeEmpty,
  RO_CNP_COUNTIES,
  SOURCES,
  TEXT_RULES,
} from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/reference/${name}`, import.meta.url)), 'utf8');

interface ReferenceState {
  code: MemberStateCode;
  iso3166_alpha2: string;
  id_format_regex_from_public_code: Record<string, string> | null;
  postcode_regex_from_public_code: string | null;
  id_checksum_algorithm: string | null;
}
const reference = JSON.parse(fixture('member-states.json')) as { member_states: ReferenceState[] };
const notes = fixture('eci-requirements.md');

/** One validation rule of the Commission's software: country (form), property key, pattern. */
interface SqlRule {
  readonly country: string;
  readonly key: string;
  readonly pattern: string;
}

/** The `not matches "<regex>"` rules of `OCT_COUNTRY_RULE`, per country of the form. */
function sqlRules(sql: string): SqlRule[] {
  const rules: SqlRule[] = [];
  for (const insert of sql.split('INSERT INTO OCT_COUNTRY_RULE').slice(1)) {
    const country = /VALUES \(\d+,'([a-z]+)'/.exec(insert)?.[1] ?? '';
    const rule =
      /key == "([a-z.]+)",\s*value == null \|\|\s*value(?:\.toLowerCase\(\))? not matches "([^"]+)"/g;
    for (const match of insert.matchAll(rule)) {
      rules.push({ country, key: match[1] ?? '', pattern: match[2] ?? '' });
    }
  }
  return rules;
}
const SQL = fixture('ocs-4-validation-rules.sql');
const SQL_RULES = sqlRules(SQL);
/** The Commission's country codes of the forms: lower-case ISO (Greece `gr`). */
const byIso = (iso: string) => SQL_RULES.filter((r) => r.country === iso.toLowerCase());

/** A Java `matches` / reference regex as a JavaScript one: whole-string, letters in lower case. */
const wholeString = (source: string) => new RegExp(`^(?:${source.replace(/^\^|\$$/g, '')})$`);
/** The reference JSON writes an annotation after some patterns: `^...$ (proca; ...)`. */
const jsonPattern = (annotated: string) => annotated.replace(/\s+\(.*\)$/, '');

/** Strings of a pattern's language (flags dropped: letters are then tried in both cases). */
function samplesOf(pattern: RegExp): string[] {
  const plain = new RegExp(pattern.source);
  const strings = fc.sample(fc.stringMatching(plain), { numRuns: 150, seed: 20261128 });
  return [...new Set(strings.flatMap((s) => [s, s.toUpperCase(), s.toLowerCase()]))].filter((s) => s !== '');
}
const acceptsAny = (patterns: readonly RegExp[], value: string) =>
  patterns.some((p) => new RegExp(p.source, 'i').test(value));

/** Strings one side accepts and the other does not (`theirs` is tried on raw, ours on normalised). */
function differences(
  theirs: RegExp,
  ours: readonly RegExp[],
  normalise: (value: string) => string,
  relax: (value: string) => string = (v) => v,
) {
  const missing = samplesOf(theirs).filter((s) => !acceptsAny(ours, normalise(s)));
  const extra = ours.flatMap(samplesOf).filter((s) => !acceptsAny([theirs], relax(s)));
  return { missing: missing.slice(0, 3), extra: extra.slice(0, 3) };
}

/**
 * Where the project differs from the Commission's patterns on purpose, and why. Key: `CC key`.
 * Each entry must be a real difference (checked below).
 */
const KNOWN_DOCUMENT_DIFFERENCES: Readonly<Record<string, string>> = {
  'BE national.id.number':
    'Eleven digits whose date and check digits the mod-97 validator checks; the Commission pattern is the printed date layout and refuses BIS numbers (month + 20 or + 40).',
};

describe('documents: the rulebook patterns against the Commission’s validation rules', () => {
  const pairs = MEMBER_STATE_LIST.flatMap((state) =>
    state.documents.map((doc) => ({
      state,
      doc,
      rule: byIso(state.iso).find((r) => r.key === doc.legacyOcsKey),
    })),
  );

  it('every document of the rulebook has a Commission rule, and every Commission rule a document', () => {
    expect(
      pairs.filter((p) => p.rule === undefined).map((p) => `${p.state.code} ${p.doc.legacyOcsKey}`),
    ).toEqual([]);
    const ours = new Set(pairs.map((p) => `${p.state.iso.toLowerCase()} ${p.doc.legacyOcsKey}`));
    const documentRules = SQL_RULES.filter((r) => r.key !== 'postal.code');
    expect(documentRules.filter((r) => !ours.has(`${r.country} ${r.key}`))).toEqual([]);
  });

  it.each(pairs.map((p) => [`${p.state.code} ${p.doc.legacyOcsKey}`, p] as const))(
    '%s: the same numbers, separators aside',
    (name, { doc, rule }) => {
      const diff = differences(
        wholeString(rule?.pattern ?? ''),
        doc.patterns,
        normaliseDocumentNumber,
        (s) => s,
      );
      const known = KNOWN_DOCUMENT_DIFFERENCES[name];
      if (known === undefined) expect(diff, name).toEqual({ missing: [], extra: [] });
      else
        expect(diff.missing.length + diff.extra.length, `${name} is no longer different`).toBeGreaterThan(0);
    },
  );
});

describe('documents: the rulebook against the reference notes', () => {
  const pairs = reference.member_states.flatMap((ref) =>
    Object.entries(ref.id_format_regex_from_public_code ?? {}).map(([key, pattern]) => ({
      ref,
      key,
      pattern,
    })),
  );

  it.each(pairs.map((p) => [`${p.ref.code} ${p.key}`, p] as const))(
    '%s: the same numbers as the reference regex',
    (name, { ref, key, pattern }) => {
      const doc = MEMBER_STATE_RULES[ref.code].documents.find((d) => d.legacyOcsKey === key);
      expect(doc, name).toBeDefined();
      const diff = differences(
        wholeString(jsonPattern(pattern)),
        doc?.patterns ?? [],
        normaliseDocumentNumber,
      );
      if (KNOWN_DOCUMENT_DIFFERENCES[name] === undefined)
        expect(diff, name).toEqual({ missing: [], extra: [] });
      else expect(diff.missing.length + diff.extra.length).toBeGreaterThan(0);
    },
  );

  it('a check digit exactly where the reference names an algorithm (Latvia: named, not applied)', () => {
    for (const ref of reference.member_states) {
      const ours = MEMBER_STATE_RULES[ref.code].documents.some((d) => d.hasCheckDigit);
      const named = ref.id_checksum_algorithm !== null;
      expect(ours, ref.code).toBe(named && ref.code !== 'LV');
    }
  });

  it('Slovenia: the reference algorithm, (−sum) mod 11 mod 10, is the one applied', () => {
    expect(reference.member_states.find((s) => s.code === 'SI')?.id_checksum_algorithm).toContain(
      'mod 11 mod 10',
    );
    const weights = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    fc.assert(
      fc.property(fc.stringMatching(/^[0-3][0-9]{11}$/), (twelve) => {
        const sum = [...twelve].reduce((a, d, i) => a + Number(d) * (weights[i] ?? 0), 0);
        const check = (((-sum % 11) + 11) % 11) % 10;
        const result = DOCUMENT_NUMBER_VALIDATORS.SI_EMSO(`${twelve}${check}`);
        expect(result.ok || result.code !== 'invalid_checksum').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('postal codes: the rulebook against the Commission’s rules and the reference notes', () => {
  const withoutSpaces = (s: string) => s.replace(/ /g, '');
  const sqlPostal = SQL_RULES.filter((r) => r.key === 'postal.code');

  it('the Commission has patterns for 8 of the 9 Part A states; Ireland’s rule checks presence only', () => {
    expect(sqlPostal.map((r) => r.country).sort()).toEqual(['de', 'dk', 'fi', 'fr', 'gr', 'lu', 'nl', 'sk']);
    expect(SQL).toMatch(/postal\.code_ie[\s\S]*?value == null\)/);
  });

  it.each(sqlPostal.map((r) => [r.country.toUpperCase(), r] as const))(
    '%s: the same codes as the Commission’s pattern (plus the space the national format writes)',
    (iso, rule) => {
      const ours = EU_POSTAL_CODE_RULES[iso];
      expect(ours?.provenance.format.source).toContain('EC-OCS-SQL');
      expect(differences(wholeString(rule.pattern), ours?.patterns ?? [], (s) => s, withoutSpaces)).toEqual({
        missing: [],
        extra: [],
      });
    },
  );

  it.each(
    reference.member_states
      .filter((s) => s.postcode_regex_from_public_code !== null)
      .map((s) => [s.code, s] as const),
  )('%s: the same codes as the reference notes’ pattern', (_code, ref) => {
    const ours = EU_POSTAL_CODE_RULES[ref.iso3166_alpha2];
    const theirs = wholeString(ref.postcode_regex_from_public_code ?? '');
    expect(differences(theirs, ours?.patterns ?? [], (s) => s, withoutSpaces)).toEqual({
      missing: [],
      extra: [],
    });
  });

  it('Ireland: the postal code may be empty (the Commission and the notes: optional), nowhere else', () => {
    expect(notes).toMatch(/IE optional/);
    expect(
      Object.values(EU_POSTAL_CODE_RULES)
        .filter((r) => r.mayBeEmpty)
        .map((r) => r.iso),
    ).toEqual(['IE']);
    expect(GENERIC_POSTAL_CODE.mayBeEmpty).toBe(false);
    expect(postalCodeMayBeEmpty('IE', 'BE')).toBe(true);
    expect(postalCodeMayBeEmpty('FR', 'IE')).toBe(true);
    expect(postalCodeMayBeEmpty('FR', 'BE')).toBe(false);
  });
});

describe('rules that are not patterns: each is data with its provenance', () => {
  it('the German note is the reference notes’ sentence', () => {
    const note = MEMBER_STATE_RULES.DE.signatoryNote;
    expect(note?.id).toBe('residenceAbroadRegistered');
    expect(notes.replace(/\s+/g, ' ')).toContain(note?.text.replace(/\.$/, ''));
    expect(MEMBER_STATE_LIST.filter((s) => s.signatoryNote).map((s) => s.code)).toEqual(['DE']);
  });

  it('the Romanian county codes are 01-48, 51, 52, 70 and 80-83', () => {
    const expected = [
      ...Array.from({ length: 48 }, (_, i) => String(i + 1).padStart(2, '0')),
      '51',
      '52',
      '70',
      '80',
      '81',
      '82',
      '83',
    ];
    expect(RO_CNP_COUNTIES.codes).toEqual(expected);
  });

  it('minimum ages: the notes’ list (16 in AT, BE, DE, EE, MT, FI; 17 in EL)', () => {
    expect(notes).toMatch(/16 in AT, BE, DE, EE, MT and FI/);
    const sixteen = MEMBER_STATE_LIST.filter((s) => s.minAge === 16).map((s) => s.code);
    expect(sixteen.sort()).toEqual(['AT', 'BE', 'DE', 'EE', 'FI', 'MT']);
  });

  it('every provenance in the table names known sources, and an unverified one says why', () => {
    const all: [string, Provenance][] = [
      ...MEMBER_STATE_LIST.flatMap((s) => [
        ...Object.entries(s.provenance).map(([k, p]) => [`${s.code} ${k}`, p] as [string, Provenance]),
        ...s.documents.flatMap((d) =>
          Object.entries(d.provenance).map(
            ([k, p]) => [`${s.code} ${d.type} ${k}`, p] as [string, Provenance],
          ),
        ),
        ...(s.signatoryNote ? [[`${s.code} note`, s.signatoryNote.provenance] as [string, Provenance]] : []),
      ]),
      ...[...Object.values(EU_POSTAL_CODE_RULES), GENERIC_POSTAL_CODE].flatMap((r) =>
        Object.entries(r.provenance).map(([k, p]) => [`postal ${r.iso} ${k}`, p] as [string, Provenance]),
      ),
      ...Object.entries(TEXT_RULES).map(([k, r]) => [`text ${k}`, r.provenance] as [string, Provenance]),
      ['RO counties', RO_CNP_COUNTIES.provenance],
    ];
    expect(all.length).toBeGreaterThan(200);
    for (const [name, p] of all) {
      expect(p.source.length, name).toBeGreaterThan(0);
      for (const key of p.source) expect(SOURCES[key], `${name}: ${key}`).toBeTypeOf('string');
      if (!p.verified) expect(p.note, name).toBeTruthy();
    }
  });

  it('the hard/overridable policy: overridable exactly for passports and ID cards, with its source', () => {
    for (const s of MEMBER_STATE_LIST) {
      for (const d of s.documents) {
        const overridable = d.type === 'passport' || d.type === 'idCard';
        expect(d.onFormatMismatch === 'format_unconfirmed', `${s.code} ${d.type}`).toBe(overridable);
        expect(d.provenance.onFormatMismatch.source).toContain('API');
      }
    }
  });
});
