import {
  collectionRequestSchema,
  fieldErrorsFromZod,
  goLiveRequestSchema,
  submissionRequestSchema,
} from '@ocs/shared/contract/admin-api';
import {
  changedRegisteredFacts,
  initiativeSchema,
  initiativeUpdateSchema,
  organiserCollectionStatus,
} from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { testInitiative } from '../../functions/support/data';

const errorsOf = (
  schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
  value: unknown,
) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return fieldErrorsFromZod(parsed.error as Parameters<typeof fieldErrorsFromZod>[0]);
};

describe('initiative update body: field errors with dotted paths and contract codes', () => {
  it('accepts the stored initiative as it is, with or without the collection switch', () => {
    const { enabled: _e, ...collection } = testInitiative().collection;
    expect(initiativeUpdateSchema.safeParse(testInitiative()).success).toBe(true);
    expect(initiativeUpdateSchema.safeParse({ ...testInitiative(), collection }).success).toBe(true);
    expect(initiativeSchema.safeParse({ ...testInitiative(), collection }).success).toBe(false);
  });

  it('reports every field at once, next to its field', () => {
    const body = {
      ...testInitiative(),
      registrationNumber: 'ECI-2026-42',
      registrationDate: '2026-02-30',
      content: { ...testInitiative().content, en: { title: '', objectives: 'x'.repeat(1201) } },
      organisers: [{ name: 'Ana <b>', country: 'XX', role: 'member' }],
      registerUrl: 'http://insecure.example.org',
      surprise: true,
    };

    expect(errorsOf(initiativeUpdateSchema, body)).toEqual(
      expect.arrayContaining([
        { field: 'registrationNumber', code: 'invalid_format', message: expect.any(String) },
        { field: 'registrationDate', code: 'invalid_date', message: expect.any(String) },
        { field: 'content.en.title', code: 'required', message: expect.any(String) },
        { field: 'content.en.objectives', code: 'too_long', message: expect.any(String) },
        { field: 'organisers.0.name', code: 'invalid_characters', message: expect.any(String) },
        { field: 'organisers.0.country', code: 'not_allowed', message: expect.any(String) },
        { field: 'registerUrl', code: 'invalid_format', message: expect.any(String) },
        { field: 'surprise', code: 'not_allowed', message: expect.any(String) },
      ]),
    );
  });

  it('never echoes the value sent in a message', () => {
    const secret = 'Zofia-Kowalska-1944';
    const errors = errorsOf(initiativeUpdateSchema, {
      ...testInitiative(),
      registrationNumber: secret,
      languages: [secret],
      [secret]: 1,
    });
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error.message).not.toContain(secret);
  });

  it('requires English content, and the missing fields by name', () => {
    const { content: _c, ...noContent } = testInitiative();
    expect(
      errorsOf(initiativeUpdateSchema, { ...testInitiative(), content: { pl: testInitiative().content.pl } }),
    ).toEqual([
      { field: 'content.en', code: 'required', message: 'English content is required (fallback).' },
    ]);
    expect(errorsOf(initiativeUpdateSchema, noContent)).toEqual([
      { field: 'content', code: 'required', message: expect.any(String) },
    ]);
  });

  it('allows one representative and one substitute, and an e-mail address for them only', () => {
    const organisers = [
      { name: 'Anna', country: 'DE', role: 'representative', email: 'anna@example.org' },
      { name: 'Bruno', country: 'FR', role: 'substitute', email: 'bruno@example.org' },
      { name: 'Chiara', country: 'IT', role: 'member' },
    ];
    expect(initiativeUpdateSchema.safeParse({ ...testInitiative(), organisers }).success).toBe(true);

    const twoRepresentatives = [...organisers, { name: 'Dana', country: 'PL', role: 'representative' }];
    expect(errorsOf(initiativeUpdateSchema, { ...testInitiative(), organisers: twoRepresentatives })).toEqual(
      [
        {
          field: 'organisers.3.role',
          code: 'not_allowed',
          message: 'The group of organisers has one representative.',
        },
      ],
    );
    const memberWithEmail = [...organisers.slice(0, 2), { ...organisers[2], email: 'c@example.org' }];
    expect(errorsOf(initiativeUpdateSchema, { ...testInitiative(), organisers: memberWithEmail })).toEqual([
      { field: 'organisers.2.email', code: 'not_allowed', message: expect.stringMatching(/contact persons/) },
    ]);
  });

  it('checks the collection period: end after start, at most 12 months', () => {
    const collection = (start: string, end: string) => ({ ...testInitiative(), collection: { start, end } });
    expect(errorsOf(initiativeUpdateSchema, collection('2026-11-01', '2026-10-31'))[0]).toMatchObject({
      field: 'collection.end',
      code: 'invalid_date',
    });
    expect(errorsOf(initiativeUpdateSchema, collection('2026-11-01', '2027-11-01'))[0]).toMatchObject({
      field: 'collection.end',
      code: 'invalid_date',
      message: 'collection lasts at most 12 months',
    });
  });
});

describe('the organisers request bodies', () => {
  it('go-live takes the confirmation only', () => {
    expect(goLiveRequestSchema.safeParse({ confirm: 'ECI(2026)000042' }).success).toBe(true);
    expect(errorsOf(goLiveRequestSchema, {})).toEqual([
      { field: 'confirm', code: 'required', message: expect.any(String) },
    ]);
    expect(
      errorsOf(goLiveRequestSchema, { confirm: 42, extra: 1 })
        .map((e) => e.field)
        .sort(),
    ).toEqual(['confirm', 'extra']);
  });

  it('collection takes open or pause', () => {
    expect(collectionRequestSchema.safeParse({ action: 'open' }).success).toBe(true);
    expect(collectionRequestSchema.safeParse({ action: 'pause' }).success).toBe(true);
    expect(errorsOf(collectionRequestSchema, { action: 'close' })).toEqual([
      { field: 'action', code: 'not_allowed', message: expect.any(String) },
    ]);
  });

  it('submission takes a real date', () => {
    expect(submissionRequestSchema.safeParse({ date: '2027-12-01' }).success).toBe(true);
    expect(errorsOf(submissionRequestSchema, { date: '2027-02-30' })).toEqual([
      { field: 'date', code: 'invalid_date', message: expect.any(String) },
    ]);
  });
});

describe('organiserCollectionStatus', () => {
  it.each([
    ['before the start (Brussels)', '2026-10-31T22:59:59Z', true, 'not_started'],
    ['on the first day', '2026-10-31T23:00:00Z', true, 'open'],
    ['switched off within the dates', '2026-11-28T10:00:00Z', false, 'paused'],
    ['after the end, switched on', '2027-10-31T23:00:00Z', true, 'closed'],
    ['after the end, switched off', '2027-10-31T23:00:00Z', false, 'closed'],
    ['before the start, switched off', '2026-10-01T10:00:00Z', false, 'not_started'],
  ] as const)('%s: %s', (_, now, enabled, status) => {
    expect(organiserCollectionStatus(testInitiative({ enabled }), new Date(now))).toBe(status);
  });
});

describe('changedRegisteredFacts', () => {
  it('names the registered facts that differ, and only those', () => {
    const before = testInitiative();
    expect(changedRegisteredFacts(before, { ...before, registerUrl: 'https://example.org/other' })).toEqual(
      [],
    );
    expect(
      changedRegisteredFacts(before, {
        ...before,
        id: 'other-id',
        registrationNumber: 'ECI(2026)000043',
        registrationDate: '2026-09-16',
        collection: { ...before.collection, start: '2026-11-02', end: '2027-10-30' },
      }),
    ).toEqual(['id', 'registrationNumber', 'registrationDate', 'collection.start']);
  });
});
