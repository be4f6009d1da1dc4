import {
  documentOptionsFor,
  FIELD_MAX_LENGTHS,
  formFieldsFor,
  MEMBER_STATES,
  messageFor,
  postalCodeHint,
  postalCodeMayBeEmpty,
} from '@ocs/shared';
import { describe, expect, it } from 'vitest';

describe('form metadata', () => {
  it('Part A fields in display order', () => {
    expect(formFieldsFor('DE').map((f) => f.name)).toEqual([
      'nationality',
      'firstNames',
      'familyNames',
      'dateOfBirth',
      'street',
      'streetNumber',
      'postalCode',
      'confirmPostalCode',
      'city',
      'countryOfResidence',
      'certify',
      'privacyStatement',
      'email',
      'emailConsent',
      'language',
      'submissionId',
      'altcha',
    ]);
  });

  it('Part B fields in display order, with limits', () => {
    const fields = formFieldsFor('PL');
    expect(fields.map((f) => f.name)).toEqual([
      'nationality',
      'firstNames',
      'familyNames',
      'documentType',
      'documentNumber',
      'confirmDocumentFormat',
      'certify',
      'privacyStatement',
      'email',
      'emailConsent',
      'language',
      'submissionId',
      'altcha',
    ]);
    expect(fields.find((f) => f.name === 'documentNumber')).toMatchObject({ maxLength: 40, required: true });
    expect(fields.find((f) => f.name === 'confirmDocumentFormat')).toMatchObject({
      kind: 'checkbox',
      confirms: 'documentNumber',
    });
    expect(formFieldsFor('DE').find((f) => f.name === 'confirmPostalCode')).toMatchObject({
      kind: 'checkbox',
      required: false,
      confirms: 'postalCode',
    });
    expect(fields.find((f) => f.name === 'firstNames')).toMatchObject({
      maxLength: 100,
      autocomplete: 'given-name',
    });
  });

  it('sections group the fields; the postal code is optional where it may be empty', () => {
    const sections = (code: 'DE' | 'PL') =>
      Object.fromEntries(formFieldsFor(code).map((f) => [f.name, f.section]));
    expect(sections('DE')).toMatchObject({
      firstNames: 'person',
      dateOfBirth: 'person',
      postalCode: 'residence',
      confirmPostalCode: 'residence',
      countryOfResidence: 'residence',
      certify: 'declarations',
      altcha: 'transport',
    });
    expect(sections('PL')).toMatchObject({ documentNumber: 'document', confirmDocumentFormat: 'document' });
    const postal = (nationality: 'DE' | 'IE', residence?: string) =>
      formFieldsFor(nationality, residence).find((f) => f.name === 'postalCode')?.required;
    expect(postal('DE', 'DE')).toBe(true);
    expect(postal('DE')).toBe(true);
    expect(postal('DE', 'IE')).toBe(false);
    expect(postal('IE', 'FR')).toBe(false);
  });

  it('every text field has a maximum length', () => {
    for (const code of MEMBER_STATES) {
      for (const f of formFieldsFor(code)) {
        if (f.kind === 'text' || f.kind === 'email')
          expect(f.maxLength, `${code} ${f.name}`).toBeGreaterThan(0);
      }
    }
    expect(FIELD_MAX_LENGTHS).toEqual({
      firstNames: 100,
      familyNames: 100,
      street: 100,
      streetNumber: 100,
      postalCode: 100,
      city: 100,
      documentNumber: 40,
      email: 254,
    });
  });

  it('document options with names and whether they are confirmable', () => {
    expect(documentOptionsFor('PT')).toEqual([
      expect.objectContaining({ type: 'idCard', nativeNames: ['Bilhete de identidade'], confirmable: true }),
      expect.objectContaining({ type: 'passport', confirmable: true }),
      expect.objectContaining({
        type: 'citizensCard',
        nativeNames: ['Cartão de Cidadão'],
        confirmable: false,
      }),
    ]);
    expect(documentOptionsFor('DE')).toEqual([]);
    expect(documentOptionsFor('BE')[0]?.nativeNames).toContain('Numéro de Registre National');
  });

  it('postal-code hints and the Irish exception', () => {
    expect(postalCodeHint('nl')).toBe('1234 AB');
    expect(postalCodeHint('US')).toBe('letters and digits');
    expect(postalCodeMayBeEmpty('IE', 'FR')).toBe(true);
    expect(postalCodeMayBeEmpty('DE', 'ie')).toBe(true);
    expect(postalCodeMayBeEmpty('DE', 'DE')).toBe(false);
  });

  it('messages: specific where defined, generic otherwise, for unknown fields too', () => {
    expect(messageFor('documentNumber', 'invalid_checksum')).toBe(
      'Check the number: its check digit does not match.',
    );
    expect(messageFor('firstNames', 'required')).toBe('Enter your full first names.');
    expect(messageFor('whatever', 'not_allowed')).toBe('This field is not allowed here.');
    expect(messageFor('__proto__', 'not_allowed')).toBe('This field is not allowed here.');
  });
});
