/**
 * The revision of the rules that validated a statement. It is stored with every statement and
 * written to the export (`annexRevision`), so an authority can tell which rules applied.
 * Bump it whenever a rule in this folder changes (a field, an age, a format, a check digit).
 * 2: EMŠO check 10 → 0, CNP counties, short DNI padded, postal-code prefixes and confirmation.
 */
export const ANNEX_REVISION = 2;

/** Human-readable version of the rulebook: `<annex revision>.<data compilation date>`. */
export const RULEBOOK_VERSION = `${ANNEX_REVISION}.2026-11`;
