import { fieldErrorsFromZod } from '@ocs/shared/contract/admin-api';
import { initiativeUpdateSchema } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { demoInitiative } from '../../../../functions/src/local/demo-initiative.ts';
import {
  displayField,
  emptyContent,
  emptyOrganiser,
  fieldId,
  fromForm,
  fromLiveLocked,
  fromServerErrors,
  isRegisteredFact,
  toForm,
  validateForm,
} from '../../../../web/src/lib/console/initiative-form.ts';

/** The initiative form: the schema's initiative as strings a form binds to, and the schema's verdict next to fields. */

const initiative = demoInitiative('clean-rivers', new Date('2026-05-01T12:00:00Z'));

describe('toForm and fromForm', () => {
  it('round-trip an initiative unchanged', () => {
    expect(fromForm(toForm(initiative))).toEqual(initiative);
    expect(validateForm(toForm(initiative))).toEqual([]);
  });

  it('turn blank optional fields into absent ones and trim text', () => {
    const form = toForm({
      ...initiative,
      certificateUrl: 'https://example.org/cert.pdf',
      partialRegistration: 'Part.',
    });
    form.certificateUrl = '   ';
    form.partialRegistration = '';
    form.registrationNumber = ' ECI(2026)000001 ';
    const en = form.content.en;
    if (!en) throw new Error('no English content');
    en.annex = '';
    en.website = '  https://example.org  ';
    const out = fromForm(form);
    expect(out).not.toHaveProperty('certificateUrl');
    expect(out).not.toHaveProperty('partialRegistration');
    expect(out.registrationNumber).toBe('ECI(2026)000001');
    expect(out.content.en).not.toHaveProperty('annex');
    expect(out.content.en?.website).toBe('https://example.org');
  });

  it("keep a contact person's e-mail address and drop a member's", () => {
    const form = toForm(initiative);
    const [representative, , member] = form.organisers;
    if (!representative || !member) throw new Error('no organisers');
    representative.email = ' ada@example.org ';
    member.email = 'bob@example.org';
    const out = fromForm(form);
    expect(out.organisers[0]).toMatchObject({ role: 'representative', email: 'ada@example.org' });
    expect(out.organisers[2]).not.toHaveProperty('email');
    expect(toForm(out).organisers[0]?.email).toBe('ada@example.org');
  });

  it('keep content and languages together', () => {
    const form = toForm(initiative);
    form.languages.push('pl');
    form.content.pl = { ...emptyContent(), title: 'Czyste rzeki', objectives: 'Cele.' };
    const out = fromForm(form);
    expect(out.languages).toEqual(['en', 'de', 'fr', 'pl']);
    expect(out.content.pl).toEqual({ title: 'Czyste rzeki', objectives: 'Cele.' });
  });
});

describe('validateForm', () => {
  it('reports each broken field once with what is wrong', () => {
    const form = toForm(initiative);
    form.registrationNumber = 'ECI-2026-1';
    form.registerUrl = 'http://example.org';
    const en = form.content.en;
    if (!en) throw new Error('no English content');
    en.title = '   ';
    en.objectives = 'x'.repeat(1201);
    form.organisers.push(emptyOrganiser());
    form.dataProtectionContact.email = 'not an address';

    const errors = validateForm(form);
    const byField = Object.fromEntries(errors.map((e) => [e.field, e]));
    expect(byField.registrationNumber?.kind).toBe('format');
    expect(byField.registerUrl?.kind).toBe('format');
    expect(byField['content.en.title']?.kind).toBe('required');
    expect(byField['content.en.objectives']).toMatchObject({ kind: 'too_long', max: 1200 });
    expect(byField['organisers.7.name']?.kind).toBe('required');
    expect(byField['organisers.7.country']?.kind).toBe('format');
    expect(byField['dataProtectionContact.email']?.kind).toBe('format');
  });

  it('finds the fields the server would answer 422 on (one schema for both)', () => {
    const form = toForm(initiative);
    form.registrationDate = '2026-02-30';
    const [representative] = form.organisers;
    if (!representative) throw new Error('no organisers');
    representative.email = 'not an address';
    // A second representative: the group of organisers has one.
    form.organisers.push({ ...emptyOrganiser(), name: 'Eve', country: 'PL', role: 'representative' });
    const en = form.content.en;
    if (!en) throw new Error('no English content');
    en.title = 'Rivers <b>now</b>';

    const server = initiativeUpdateSchema.safeParse(fromForm(form));
    if (server.success) throw new Error('the server would accept it');
    const fields = (errors: readonly { field: string }[]) => errors.map((e) => e.field).sort();
    expect(fields(validateForm(form))).toEqual(fields(fieldErrorsFromZod(server.error)));
    const byField = Object.fromEntries(validateForm(form).map((e) => [e.field, e.kind]));
    expect(byField).toMatchObject({
      'organisers.0.email': 'format',
      'organisers.7.role': 'not_allowed',
      'content.en.title': 'invalid_characters',
    });
  });

  it('names the rules across fields: English required, end after start, at most 12 months', () => {
    const withoutEnglish = toForm(initiative);
    withoutEnglish.languages = ['de', 'fr'];
    expect(validateForm(withoutEnglish).map((e) => [e.field, e.kind])).toContainEqual([
      'content.en',
      'english_required',
    ]);

    const backwards = toForm(initiative);
    backwards.collection.end = '2000-01-01';
    expect(validateForm(backwards).find((e) => e.field === 'collection.end')?.kind).toBe('end_before_start');

    const long = toForm(initiative);
    long.collection.end = '2099-01-01';
    expect(validateForm(long).find((e) => e.field === 'collection.end')?.kind).toBe('collection_too_long');
  });
});

describe('server errors and field ids', () => {
  it("maps the server's codes, keeping its message for codes the console does not know", () => {
    expect(
      fromServerErrors([
        { field: 'content.en.title', code: 'required', message: '' },
        { field: 'registerUrl', code: 'weird' as never, message: 'Not reachable.' },
        { field: 'collection.end', code: 'invalid_date', message: 'end is before start' },
        { field: 'content.de.title', code: 'invalid_characters', message: '' },
      ]),
    ).toEqual([
      { field: 'content.en.title', kind: 'required' },
      { field: 'registerUrl', kind: 'invalid', message: 'Not reachable.' },
      { field: 'collection.end', kind: 'invalid_date' },
      { field: 'content.de.title', kind: 'invalid_characters' },
    ]);
  });

  it('shows the registered facts of a 409 live_locked as locked next to their fields', () => {
    expect(fromLiveLocked(['registrationNumber', 'collection.start'])).toEqual([
      { field: 'registrationNumber', kind: 'locked' },
      { field: 'collection.start', kind: 'locked' },
    ]);
    expect(
      ['id', 'registrationDate', 'collection.start', 'collection.end', 'registerUrl'].map(isRegisteredFact),
    ).toEqual([true, true, true, false, false]);
  });

  it('shows group errors on a field of the group', () => {
    const form = toForm(initiative);
    expect(displayField('content.en', form)).toBe('content.en.title');
    expect(displayField('content', form)).toBe('content.en.title');
    expect(displayField('organisers', form)).toBe('organisers.0.name');
    expect(displayField('dataProtectionContact', form)).toBe('dataProtectionContact.name');
    expect(displayField('registerUrl', form)).toBe('registerUrl');
    expect(fieldId('content.en.title')).toBe('f-content-en-title');
  });
});
