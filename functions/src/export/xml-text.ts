import { ExportFailedError } from '@ocs/shared/export';

/**
 * Characters XML 1.0 cannot carry (outside its `Char` production: C0 controls but tab, line feed
 * and carriage return; lone surrogates; U+FFFE and U+FFFF), plus DEL and the C1 controls, which it
 * allows but which no name or address contains and the rulebook refuses at submission.
 */
const UNWRITABLE = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NEEDS_ESCAPE = /[&<>\r]/;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/**
 * A value as XML element text. `&`, `<` and `>` become entities; a carriage return becomes
 * `&#13;` so that a parser's line-end normalisation gives the value back unchanged. Quotes and
 * apostrophes need no escaping in element text. A character XML cannot carry fails the export
 * (`unwritable_value`) instead of being dropped: an authority must get exactly what was signed.
 */
export function xmlText(value: string): string {
  if (UNWRITABLE.test(value)) throw new ExportFailedError('unwritable_value');
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>\r]/g, (c) => ESCAPES[c] ?? c) : value;
}
