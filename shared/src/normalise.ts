/**
 * Text normalisation shared by validation (what is stored) and identity (what is compared).
 *
 * - `normaliseText`: what the citizen meant, as stored: NFKC, trimmed, one space between words.
 * - `normaliseDocumentNumber`: a document number without separators, upper case.
 * - `foldForIdentity`: a comparison key for names and postal codes: no case, no whitespace, no
 *   diacritics, no punctuation that people type inconsistently.
 */

/** Any run of Unicode whitespace (JavaScript `\s`: includes NBSP, ideographic space, line breaks). */
const WHITESPACE_RUN = /\s+/gu;

/**
 * Trims, applies Unicode NFKC (compatibility forms such as full-width letters and ligatures become
 * their ordinary letters) and collapses each run of whitespace to one space.
 */
export function normaliseText(value: string): string {
  return value.normalize('NFKC').replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * Separators people type inside document numbers: whitespace, full stops, hyphens and dashes
 * (including the minus sign), slashes, and invisible format characters that copy-and-paste
 * brings along (soft hyphen, zero-width spaces and joiners, word joiner, BOM).
 * `+` is not a separator here: only Sweden gives it a meaning (the century marker), and the
 * Swedish validator reads it before stripping it.
 */
const DOCUMENT_SEPARATORS =
  /[\s.\-\u2010-\u2015\u2212\u2043\uFE58\uFE63/\u2044\u2215\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Normalises a document number as the contract says: NFKC, separators removed, letters upper case.
 * Idempotent. Characters that are not separators are kept (validation then rejects them).
 */
export function normaliseDocumentNumber(value: string): string {
  return value.normalize('NFKC').replace(DOCUMENT_SEPARATORS, '').toUpperCase();
}

/**
 * Letters that NFKD does not decompose but that people write without their stroke or as two
 * letters. ð and þ are letters of their own (Icelandic, Faroese) and are kept.
 */
const IDENTITY_LETTERS: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ŀ: 'l',
  ƚ: 'l',
  ɨ: 'i',
  ƀ: 'b',
  ǥ: 'g',
  ɍ: 'r',
  // `toLowerCase` writes a word-final capital sigma as ς; case folding makes every sigma σ.
  ς: 'σ',
};
const IDENTITY_LETTER_PATTERN = new RegExp(`[${Object.keys(IDENTITY_LETTERS).join('')}]`, 'gu');

/**
 * Removed for identity: combining marks, whitespace, control and format characters, and the
 * punctuation that people type inconsistently inside names and postal codes: apostrophes
 * (' ’ ‘ ʼ `), hyphens and dashes, full stops and middle dots. "O’Brien", "O'Brien" and "OBrien"
 * are the same name; "Jean-Pierre" and "Jean Pierre" too.
 */
const IDENTITY_INSIGNIFICANT =
  /[\p{M}\s\p{Cc}\p{Cf}'\u2018\u2019\u02BC\u0060\u00B4\-\u2010-\u2015\u2212.\u00B7\u0387\u2027\u30FB]/gu;

/**
 * Folds a name or postal code for identity comparison: compatibility decomposition (NFKD),
 * full case folding (ß → ss, final sigma → sigma, dotless i → i), diacritics stripped, stroke
 * and ligature letters mapped (ł → l, ø → o, đ → d, ħ → h, ŧ → t, æ → ae, œ → oe), and whitespace
 * and insignificant punctuation removed. Idempotent.
 *
 * Upper-casing then lower-casing gives the full case folding that `toLowerCase` alone lacks
 * (`'ß'.toUpperCase()` is `'SS'`); both are locale-independent.
 */
export function foldForIdentity(value: string): string {
  return value
    .normalize('NFKD')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(IDENTITY_LETTER_PATTERN, (letter) => IDENTITY_LETTERS[letter] ?? letter)
    .replace(IDENTITY_INSIGNIFICANT, '');
}
