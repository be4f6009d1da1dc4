/**
 * Checking a document number against the rule of its country and type: characters, known
 * formats, check digit and encoded birth date. The age check is the validation layer's.
 */
import { normaliseDocumentNumber } from '../normalise';
import { DOCUMENT_NUMBER_VALIDATORS } from './checksums';
import type { DocumentRule } from './types';

/** Result of `checkDocumentNumber`. */
export type DocumentCheck =
  | {
      readonly ok: true;
      /** The number to store: normalised (Sweden: the 12-digit form). */
      readonly documentNumber: string;
      /** Encoded date of birth, `YYYY-MM-DD`, when the number carries a complete one. */
      readonly birthDate?: string;
      /** True when no known format matched and the citizen confirmed the number. */
      readonly formatConfirmed: boolean;
    }
  | {
      readonly ok: false;
      readonly code:
        | 'invalid_characters'
        | 'invalid_format'
        | 'invalid_checksum'
        | 'invalid_date'
        | 'format_unconfirmed';
    };

const LETTERS_AND_DIGITS = /^[A-Z0-9]+$/;
/** Sweden's century marker `+` is the one non-alphanumeric character a number may keep. */
const LETTERS_DIGITS_PLUS = /^[A-Z0-9+]+$/;

/**
 * Checks a document number as the citizen typed it.
 *
 * 1. Normalise (NFKC, separators removed, upper case). Anything left that is not a Latin letter or
 *    a digit is `invalid_characters`; nothing left at all is `invalid_format`.
 * 2. Formats that are certainly another document (`rejectPatterns`) are `invalid_format`.
 * 3. The validator, where there is one: a wrong check digit is `invalid_checksum` and an impossible
 *    encoded date `invalid_date`, never overridable, whatever the format (a Spanish DNI of 7 digits
 *    is padded and its letter checked, confirmed or not).
 * 4. Personal numbers and citizen cards: the validator (or, without one, the patterns) decides the
 *    format; a mismatch is `invalid_format`.
 * 5. Passports and ID cards: a number matching a known pattern (and its validator, if any) is
 *    accepted. Any other is `format_unconfirmed`, or accepted with `formatConfirmed: true` when
 *    `confirmFormat` is true.
 */
export function checkDocumentNumber(
  rule: DocumentRule,
  raw: string,
  options: { readonly today: string; readonly confirmFormat?: boolean },
): DocumentCheck {
  const keepsPlus = rule.validator === 'SE_PERSONNUMMER';
  const normalised = normaliseDocumentNumber(raw);
  if (normalised === '') return { ok: false, code: 'invalid_format' };
  if (!(keepsPlus ? LETTERS_DIGITS_PLUS : LETTERS_AND_DIGITS).test(normalised)) {
    return { ok: false, code: 'invalid_characters' };
  }
  if (rule.rejectPatterns.some((p) => p.test(normalised))) return { ok: false, code: 'invalid_format' };

  const result =
    rule.validator === null ? null : DOCUMENT_NUMBER_VALIDATORS[rule.validator](raw, options.today);
  if (result && !result.ok && result.code !== 'invalid_format') return result;
  const matchesPattern = rule.patterns.some((p) => p.test(normalised));
  const accepted = (formatConfirmed: boolean): DocumentCheck =>
    result?.ok
      ? {
          ok: true,
          documentNumber: result.canonical ?? normalised,
          ...(result.birthDate === undefined ? {} : { birthDate: result.birthDate }),
          formatConfirmed,
        }
      : { ok: true, documentNumber: normalised, formatConfirmed };

  if (rule.onFormatMismatch === 'invalid_format') {
    // With a validator, it decides the format (Sweden's `+` form matches no plain pattern).
    const wellFormed = result === null ? matchesPattern : result.ok;
    return wellFormed ? accepted(false) : { ok: false, code: 'invalid_format' };
  }
  if (matchesPattern && (result === null || result.ok)) return accepted(false);
  return options.confirmFormat === true ? accepted(true) : { ok: false, code: 'format_unconfirmed' };
}
