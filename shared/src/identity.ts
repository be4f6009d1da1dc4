/**
 * The identity of a signatory, for "the same person already supports the initiative"
 * (docs/citizen-api.md, last rule). The server HMACs this string with a secret key; the string itself is
 * secret input: never stored, logged or returned.
 */
import { foldForIdentity, normaliseDocumentNumber } from './normalise';
import type { ValidStatement } from './statement';

/**
 * Version tag of the identity format. Changing the format changes every key, so deduplication
 * against statements stored earlier would silently stop working: a change needs a new tag and a
 * migration plan.
 */
export const IDENTITY_KEY_VERSION = 'ocs-identity-v1';

/**
 * Unit separator (U+001F). It cannot occur in a field: validation refuses control characters and
 * `foldForIdentity` removes them. So no two different field lists join to the same string.
 */
const SEPARATOR = '\u001F';

/**
 * The canonical identity string of a valid statement.
 *
 * - Part B: version, nationality, `B`, document type, normalised document number. The same
 *   number spelt with other separators or case gives the same key; two document types of one
 *   person give two keys (the contract defines the same person by the same number of the same type).
 * - Part A: version, nationality, `A`, first names, family names, date of birth and postal code,
 *   names and postal code folded (`foldForIdentity`: no case, whitespace, diacritics or
 *   apostrophes, hyphens and dots).
 */
export function identityKey(statement: ValidStatement): string {
  const fields =
    statement.part === 'B'
      ? [
          IDENTITY_KEY_VERSION,
          statement.nationality,
          'B',
          statement.documentType,
          normaliseDocumentNumber(statement.documentNumber),
        ]
      : [
          IDENTITY_KEY_VERSION,
          statement.nationality,
          'A',
          foldForIdentity(statement.firstNames),
          foldForIdentity(statement.familyNames),
          statement.dateOfBirth,
          foldForIdentity(statement.postalCode),
        ];
  return fields.join(SEPARATOR);
}
