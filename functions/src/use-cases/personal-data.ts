import type { ValidStatement } from '@ocs/shared/statement';

const encoder = new TextEncoder();

/**
 * The personal data of a statement, exactly what is sealed: the Annex III fields of its part.
 * Everything else on the item (country, time, annex revision) is not personal on its own.
 */
export function personalDataOf(statement: ValidStatement): Record<string, string> {
  const names = { firstNames: statement.firstNames, familyNames: statement.familyNames };
  if (statement.part === 'A') {
    return {
      ...names,
      dateOfBirth: statement.dateOfBirth,
      street: statement.street,
      streetNumber: statement.streetNumber,
      postalCode: statement.postalCode,
      city: statement.city,
      countryOfResidence: statement.countryOfResidence,
    };
  }
  return { ...names, documentType: statement.documentType, documentNumber: statement.documentNumber };
}

/** Additional authenticated data: binds a ciphertext to its item, so it cannot be moved. */
export function statementAad(initiativeId: string, country: string, statementId: string): Uint8Array {
  return encoder.encode(`ocs/statement/v1\u001f${initiativeId}\u001f${country}\u001f${statementId}`);
}

export function emailAad(initiativeId: string, statementId: string): Uint8Array {
  return encoder.encode(`ocs/email/v1\u001f${initiativeId}\u001f${statementId}`);
}

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}
