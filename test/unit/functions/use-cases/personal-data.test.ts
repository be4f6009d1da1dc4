import { emailAad, encodeJson, personalDataOf, statementAad } from '@ocs/functions/use-cases/personal-data';
import type { PartAStatement, PartBStatement } from '@ocs/shared/statement';
import { describe, expect, it } from 'vitest';

const common = {
  nationality: 'PL' as const,
  firstNames: 'Zofia',
  familyNames: 'Kowalska',
  submissionId: 's',
  altcha: 'a',
  language: 'pl',
  email: 'zofia@example.org',
};

describe('personalDataOf', () => {
  it('takes the Part B fields and nothing else', () => {
    const statement: PartBStatement = {
      ...common,
      part: 'B',
      documentType: 'personalNumber',
      documentNumber: '44051401359',
      birthDateFromDocument: '1944-05-14',
      formatConfirmed: false,
    };

    expect(personalDataOf(statement)).toEqual({
      firstNames: 'Zofia',
      familyNames: 'Kowalska',
      documentType: 'personalNumber',
      documentNumber: '44051401359',
    });
  });

  it('takes the Part A fields and nothing else', () => {
    const statement: PartAStatement = {
      ...common,
      nationality: 'FR',
      part: 'A',
      dateOfBirth: '1990-01-02',
      street: 'Rue de la Paix',
      streetNumber: '',
      postalCode: '75002',
      city: 'Paris',
      countryOfResidence: 'FR',
    };

    expect(Object.keys(personalDataOf(statement)).sort()).toEqual([
      'city',
      'countryOfResidence',
      'dateOfBirth',
      'familyNames',
      'firstNames',
      'postalCode',
      'street',
      'streetNumber',
    ]);
    expect(personalDataOf(statement).streetNumber).toBe('');
  });
});

describe('statementAad / emailAad', () => {
  it('differ for every part of the item identity and between purposes', () => {
    const base = Buffer.from(statementAad('clean-rivers', 'PL', 'id-1')).toString();
    const variants = [
      statementAad('other', 'PL', 'id-1'),
      statementAad('clean-rivers', 'DE', 'id-1'),
      statementAad('clean-rivers', 'PL', 'id-2'),
      emailAad('clean-rivers', 'id-1'),
    ].map((b) => Buffer.from(b).toString());

    expect(new Set([base, ...variants]).size).toBe(5);
  });

  it('encodes JSON as UTF-8', () => {
    expect(new TextDecoder().decode(encodeJson({ n: 'Müller' }))).toBe('{"n":"Müller"}');
  });
});
