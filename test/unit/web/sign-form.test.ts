import { validateStatement } from '@ocs/shared';
import { describe, expect, it } from 'vitest';
import { contactFields } from '../../../web/src/lib/sign/contact.ts';
import { emptyForm } from '../../../web/src/lib/sign/form-values.ts';

/** The sign form's optional e-mail for updates: what the body carries, and what the rulebook says of it. */
const polish = {
  nationality: 'PL',
  firstNames: 'Zofia',
  familyNames: 'Kowalska',
  documentType: 'personalNumber',
  documentNumber: '44051401359',
  certify: true,
  privacyStatement: true,
};
const verdict = (contact: { email: string; emailConsent: boolean }) =>
  validateStatement(
    { ...polish, ...contactFields(contact) },
    { today: '2026-11-28', requireTransportFields: false },
  );

describe('sign form: the e-mail for updates', () => {
  it('starts empty and unticked, and an untouched section sends nothing', () => {
    expect(emptyForm()).toMatchObject({ email: '', emailConsent: false });
    expect(contactFields(emptyForm())).toEqual({});
    expect(contactFields({ email: '   ', emailConsent: false })).toEqual({});
    expect(verdict(emptyForm()).ok).toBe(true);
  });

  it('sends the address with its consent when both are given', () => {
    const contact = { email: 'zofia@example.org', emailConsent: true };
    expect(contactFields(contact)).toEqual(contact);
    expect(verdict(contact)).toMatchObject({ ok: true, value: { email: 'zofia@example.org' } });
  });

  it('asks for the box when only an address is typed, and for the address when only the box is ticked', () => {
    expect(verdict({ email: 'zofia@example.org', emailConsent: false })).toMatchObject({
      ok: false,
      errors: [{ field: 'emailConsent', code: 'required' }],
    });
    expect(verdict({ email: '', emailConsent: true })).toMatchObject({
      ok: false,
      errors: [{ field: 'email', code: 'required' }],
    });
  });
});
