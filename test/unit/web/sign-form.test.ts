import { validateStatement } from '@ocs/shared';
import { describe, expect, it } from 'vitest';
import { statementFields } from '../../../web/src/lib/sign/form.ts';
import { emptyForm } from '../../../web/src/lib/sign/form-values.ts';

/** The sign form's optional e-mail for updates: what the body carries, and what the rulebook says of it. */
const polish = () => ({
  ...emptyForm(),
  nationality: 'PL',
  firstNames: 'Zofia',
  familyNames: 'Kowalska',
  documentType: 'personalNumber',
  documentNumber: '44051401359',
  certify: true,
  privacyStatement: true,
});
const NONE = new Set<never>();
const verdict = (values: ReturnType<typeof polish>) =>
  validateStatement(statementFields(values, 'en', NONE), {
    today: '2026-11-28',
    requireTransportFields: false,
  });

describe('sign form: the e-mail for updates', () => {
  it('starts empty and unticked, and an untouched section sends nothing', () => {
    expect(emptyForm()).toMatchObject({ email: '', emailConsent: false });
    const body = statementFields(polish(), 'en', NONE);
    expect(body).not.toHaveProperty('email');
    expect(body).not.toHaveProperty('emailConsent');
    expect(verdict(polish()).ok).toBe(true);
  });

  it('sends the address with its consent when both are given', () => {
    const values = { ...polish(), email: 'zofia@example.org', emailConsent: true };
    expect(statementFields(values, 'en', NONE)).toMatchObject({
      email: 'zofia@example.org',
      emailConsent: true,
    });
    expect(verdict(values)).toMatchObject({ ok: true, value: { email: 'zofia@example.org' } });
  });

  it('asks for the box when only an address is typed, and for the address when only the box is ticked', () => {
    expect(verdict({ ...polish(), email: 'zofia@example.org' })).toMatchObject({
      ok: false,
      errors: [{ field: 'emailConsent', code: 'required' }],
    });
    expect(verdict({ ...polish(), emailConsent: true })).toMatchObject({
      ok: false,
      errors: [{ field: 'email', code: 'required' }],
    });
  });
});
