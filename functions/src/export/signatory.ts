import { documentRule, MEMBER_STATE_RULES } from '@ocs/shared';
import { ExportFailedError } from '@ocs/shared/export';
import type { MemberStateCode } from '@ocs/shared/statement';
import { DOCUMENT_TYPES, type DocumentType } from '@ocs/shared/statement';

/**
 * From the decrypted personal data of a statement (`personalDataOf` in the submit path) to the
 * groups and properties of the legacy Commission layout (`oct.group.*`, `oct.property.*`).
 */

/** How Greece is written: `gr` (the Commission's OCS 4 and ISO 3166) or `el` (OCS 1.x to 3.x, EU usage). */
export type GreeceCode = 'gr' | 'el';

export interface XmlProperty {
  readonly key: string;
  readonly value: string;
}

export interface XmlGroup {
  readonly name: 'oct.group.general' | 'oct.group.address' | 'oct.group.id';
  readonly properties: readonly XmlProperty[];
}

/** `forCountry` of a Member State: its code in lower case, Greece as configured. */
export function forCountryCode(country: MemberStateCode, greece: GreeceCode): string {
  return country === 'EL' ? greece : country.toLowerCase();
}

/** A country of residence (ISO 3166-1 alpha-2, upper case) in lower case, Greece as configured. */
export function residenceCode(iso: string, greece: GreeceCode): string {
  return iso === 'GR' || iso === 'EL' ? greece : iso.toLowerCase();
}

/** `YYYY-MM-DD` to `dd/MM/yyyy`, the legacy layout's date of birth. */
export function legacyDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new ExportFailedError('malformed_statement');
  return `${match[3]}/${match[2]}/${match[1]}`;
}

function field(data: Readonly<Record<string, unknown>>, name: string): string {
  const value = data[name];
  if (typeof value !== 'string') throw new ExportFailedError('malformed_statement');
  return value;
}

const isDocumentType = (value: string): value is DocumentType =>
  (DOCUMENT_TYPES as readonly string[]).includes(value);

const property = (name: string, value: string): XmlProperty => ({ key: `oct.property.${name}`, value });

/**
 * The groups of one signatory. Part A: names and date of birth (`oct.group.general`), the address
 * of residence (`oct.group.address`). Part B: names, then exactly one `oct.group.id` property named
 * after the document (the rulebook's `legacyOcsKey`: `national.id.number`, `personal.number`, ...).
 * Throws `malformed_statement` when the data does not match the country's part.
 */
export function signatoryGroups(
  country: MemberStateCode,
  data: Readonly<Record<string, unknown>>,
  greece: GreeceCode,
): XmlGroup[] {
  const names = [
    property('full.first.names', field(data, 'firstNames')),
    property('family.names', field(data, 'familyNames')),
  ];
  if (MEMBER_STATE_RULES[country].part === 'A') {
    return [
      {
        name: 'oct.group.general',
        properties: [...names, property('date.of.birth', legacyDate(field(data, 'dateOfBirth')))],
      },
      {
        name: 'oct.group.address',
        properties: [
          property('street', field(data, 'street')),
          property('street.number', field(data, 'streetNumber')),
          property('postal.code', field(data, 'postalCode')),
          property('city', field(data, 'city')),
          property('country', residenceCode(field(data, 'countryOfResidence'), greece)),
        ],
      },
    ];
  }
  const type = field(data, 'documentType');
  const rule = isDocumentType(type) ? documentRule(country, type) : undefined;
  if (!rule) throw new ExportFailedError('malformed_statement');
  return [
    { name: 'oct.group.general', properties: names },
    { name: 'oct.group.id', properties: [property(rule.legacyOcsKey, field(data, 'documentNumber'))] },
  ];
}
