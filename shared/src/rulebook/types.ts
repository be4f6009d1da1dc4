/**
 * Types of the rulebook: the law (Annex III of Regulation (EU) 2019/788 and the Commission's
 * data-requirements page) as data. Every rule carries where it comes from and whether that
 * source was verified, so unverified values stay visible to reviewers and to the export.
 */
import type { AnnexPart, DocumentType, MemberStateCode } from '../statement';
import type { DocumentNumberValidatorId } from './checksums';

/** Keys of the sources the rulebook cites (see `SOURCES`). */
export type SourceKey =
  | 'REG'
  | 'DR'
  | 'DR-LT'
  | 'FI-NEWS'
  | 'NGO-AGE'
  | 'SEATS-2023'
  | 'SEATS-2019'
  | 'DEL-1082'
  | 'EC-OCS-SQL'
  | 'PROCA'
  | 'STDNUM'
  | 'WIKIPEDIA'
  | 'UPU'
  | 'ISO-3166'
  | 'CEPT'
  | 'API'
  | 'PROJECT';

/** Where a rule comes from and whether it was read in a primary or Commission source. */
export interface Provenance {
  readonly source: readonly SourceKey[];
  readonly verified: boolean;
  /** Why it is not verified, or what a reviewer should know. */
  readonly note?: string;
}

/** The legacy Commission OCS property keys (`oct.property.<key>`), needed for the XML export. */
export type LegacyOcsKey =
  | 'national.id.number'
  | 'personal.number'
  | 'personal.id'
  | 'id.card'
  | 'passport'
  | 'citizens.card';

/** One accepted personal number or identity document of a Part B Member State. */
export interface DocumentRule {
  readonly type: DocumentType;
  /** Names as citizens of that country know them (native language(s), with the usual abbreviation). */
  readonly nativeNames: readonly string[];
  readonly englishName: string;
  readonly legacyOcsKey: LegacyOcsKey;
  /**
   * Known formats of the normalised number (separators removed, upper case). Every alternative is a
   * separate, fully anchored RegExp; those with letters are case-insensitive.
   */
  readonly patterns: readonly RegExp[];
  /**
   * Formats that are certainly another document (e.g. a Spanish NIE given as a DNI):
   * `invalid_format`, even where a format mismatch is otherwise confirmable.
   */
  readonly rejectPatterns: readonly RegExp[];
  /** The validator of check digit and encoded birth date, if any. */
  readonly validator: DocumentNumberValidatorId | null;
  /** True when the validator checks a published check digit or check letter. */
  readonly hasCheckDigit: boolean;
  /** True when the validator derives a birth date that the age check uses. */
  readonly encodesBirthDate: boolean;
  /**
   * What a number matching no pattern gets: `format_unconfirmed` (passports and ID cards: the citizen
   * may confirm it) or `invalid_format` (personal numbers and citizen cards: never overridable).
   */
  readonly onFormatMismatch: 'format_unconfirmed' | 'invalid_format';
  /** A short example of the format for the form's hint (a format, never a real person's number). */
  readonly formatHint: string;
  readonly provenance: {
    readonly accepted: Provenance;
    readonly format: Provenance;
    /** Why a format mismatch is overridable (`format_unconfirmed`) or not (`invalid_format`). */
    readonly onFormatMismatch: Provenance;
    readonly checkDigit?: Provenance;
  };
}

/** A note the form shows to a country's signatories (the web translates it by `id`). */
export interface SignatoryNote {
  /** Stable id of the note; the web's message key is derived from it. */
  readonly id: 'residenceAbroadRegistered';
  /** The note in English (the server's and the tests' wording). */
  readonly text: string;
  readonly provenance: Provenance;
}

/** The rules of one Member State. */
export interface MemberStateRules {
  /** EU code (`EL` for Greece). */
  readonly code: MemberStateCode;
  /** ISO 3166-1 alpha-2 (`GR` for Greece). */
  readonly iso: string;
  /** English short name. */
  readonly name: string;
  readonly part: AnnexPart;
  /** Minimum age to sign, on the signing day. */
  readonly minAge: number;
  /** Seats in the European Parliament, 2024-2029 term (European Council Decision (EU) 2023/2061). */
  readonly epSeats2024: number;
  /** Seats in the European Parliament, 2019-2024 term after the UK's withdrawal (705 in total). */
  readonly epSeats2019: number;
  /** Accepted documents, in the order the form offers them (Part B); empty for Part A. */
  readonly documents: readonly DocumentRule[];
  /**
   * The postal-code format of this country, as a country of residence (every Part A signatory
   * living here is checked against it, whatever their nationality).
   */
  readonly postalCode: PostalCodeRule;
  /** A note the form should show to this country's signatories, if any. */
  readonly signatoryNote?: SignatoryNote;
  readonly provenance: {
    readonly part: Provenance;
    readonly minAge: Provenance;
    readonly epSeats2024: Provenance;
    readonly epSeats2019: Provenance;
    readonly documents: Provenance;
  };
}

/** The postal-code rule of a country of residence. */
export interface PostalCodeRule {
  /** ISO 3166-1 alpha-2. */
  readonly iso: string;
  /**
   * The usual format: fully anchored, case-insensitive alternatives, applied to the trimmed, NFKC
   * value after the country prefix is removed. A code matching none is `format_unconfirmed`.
   */
  readonly patterns: readonly RegExp[];
  /**
   * Country prefixes people write before the code (`D` in `D-10115`), removed before the check and
   * before storage: when followed by a hyphen, or directly by a digit.
   */
  readonly prefixes: readonly string[];
  readonly formatHint: string;
  /** True when the code may be left empty (also for this country's nationals living anywhere). */
  readonly mayBeEmpty: boolean;
  readonly provenance: {
    readonly format: Provenance;
    readonly prefixes: Provenance;
    readonly mayBeEmpty: Provenance;
  };
}

/** A list of codes that a check relies on (for example the county codes of a personal number). */
export interface CodeList {
  readonly codes: readonly string[];
  readonly provenance: Provenance;
}

/** The characters and length a free-text field allows. */
export interface TextRule {
  /** Maximum length in Unicode code points, after trimming and NFKC. */
  readonly max: number;
  /** The whole value must match (anchored, `u` flag). */
  readonly characters: RegExp;
  /** The value must contain one of these (a letter, or a letter or digit). */
  readonly mustContain: RegExp;
  /** Empty after trimming is allowed (decided later for the postal code, with its country). */
  readonly allowEmpty: boolean;
  readonly provenance: Provenance;
}
