import {
  MAX_WRITE_ATTEMPTS,
  recordSubmission,
  setCollection,
  updateInitiative,
} from '@ocs/functions/use-cases/manage-initiative';
import { changeDetails } from '@ocs/shared/audit';
import {
  DependencyUnavailableError,
  InitiativeNotConfiguredError,
  InvalidRequestError,
  LiveLockedError,
} from '@ocs/shared/errors';
import type { Initiative, InitiativeLifecycle } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { ORGANISER } from '../../../support/audit-chain';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import { FakeInitiativeStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

function setup(
  lifecycle: InitiativeLifecycle = { mode: 'test' },
  initiative: Initiative | 'none' = testInitiative(),
) {
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  const initiatives = new FakeInitiativeStore(initiative === 'none' ? undefined : initiative, lifecycle);
  const trail = new FakeAuditTrail(clock);
  return { initiatives, trail, clock, deps: { initiatives, trail, clock } };
}

const edited = (changes: Partial<Initiative> = {}): Record<string, unknown> => ({
  ...testInitiative(),
  ...changes,
});

describe('updateInitiative (PUT /api/admin/initiative)', () => {
  it('replaces the initiative, answers the admin view and records the changed paths with a digest', async () => {
    const s = setup();
    const body = edited({
      registerUrl: 'https://citizens-initiative.europa.eu/initiatives/details/2026/000042_de',
      content: { ...testInitiative().content, en: { title: 'Clean Rivers', objectives: 'New objectives.' } },
    });

    const view = await updateInitiative(s.deps, ORGANISER, body);

    expect(view).toEqual({
      initiative: { ...body, organisers: testInitiative().organisers },
      mode: 'test',
      status: 'open',
      submittedOn: null,
      destruction: { deadline: '2028-08-01', rule: 'collection_start_plus_21_months' },
    });
    expect(s.initiatives.value).toEqual(view.initiative);
    expect(s.initiatives.version).toBe(1);
    const expected = await changeDetails(testInitiative(), view.initiative);
    expect(s.trail.entries.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['initiative_updated', ORGANISER, { changedFields: expected.changedFields, digest: expected.digest }],
    ]);
    expect(expected.changedFields).toEqual([
      'content.en.annex',
      'content.en.objectives',
      'content.en.title',
      'registerUrl',
    ]);
    expect(JSON.stringify(s.trail.entries)).not.toContain('New objectives');
  });

  it('keeps the stored collection switch whatever the body says, or without it', async () => {
    const s = setup({ mode: 'test' }, testInitiative({ enabled: false }));
    const { enabled: _e, ...collection } = testInitiative().collection;

    await updateInitiative(s.deps, ORGANISER, edited({ collection: { ...collection, enabled: true } }));
    const without = await updateInitiative(s.deps, ORGANISER, { ...edited(), collection });

    expect(s.initiatives.value?.collection.enabled).toBe(false);
    expect(without.status).toBe('paused');
    expect(s.trail.entries).toEqual([]);
  });

  it('writes nothing and records nothing when nothing changed', async () => {
    const s = setup();

    const view = await updateInitiative(s.deps, ORGANISER, testInitiative());

    expect(view.initiative).toEqual(testInitiative());
    expect(s.initiatives.replaceCalls).toBe(0);
    expect(s.trail.entries).toEqual([]);
  });

  it('refuses an invalid body with every field error, writing and recording nothing', async () => {
    const s = setup();

    const error = await updateInitiative(
      s.deps,
      ORGANISER,
      edited({ registrationNumber: 'x', languages: [] }),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).errors.map((e) => [e.field, e.code])).toEqual([
      ['registrationNumber', 'invalid_format'],
      ['languages', 'required'],
    ]);
    expect(s.initiatives.replaceCalls).toBe(0);
    expect(s.trail.entries).toEqual([]);
  });

  it('lets the registered facts change in test mode', async () => {
    const s = setup();

    await updateInitiative(s.deps, ORGANISER, edited({ registrationNumber: 'ECI(2026)000043' }));

    expect(s.initiatives.value?.registrationNumber).toBe('ECI(2026)000043');
  });

  it.each([
    ['id', { id: 'another-initiative' }],
    ['registrationNumber', { registrationNumber: 'ECI(2026)000043' }],
    ['registrationDate', { registrationDate: '2026-09-16' }],
    ['collection.start', { collection: { start: '2026-11-02', end: '2027-10-31', enabled: true } }],
  ] as const)('refuses a change of %s after go-live (live_locked), writing nothing', async (fact, change) => {
    const s = setup({ mode: 'live', liveSince: '2026-11-20T09:00:00.000Z' });

    const error = await updateInitiative(s.deps, ORGANISER, edited(change)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LiveLockedError);
    expect((error as LiveLockedError).fields).toEqual([fact]);
    expect(s.initiatives.replaceCalls).toBe(0);
    expect(s.trail.entries).toEqual([]);
  });

  it('lets everything else change after go-live (the end date, texts, organisers)', async () => {
    const s = setup({ mode: 'live' });

    const view = await updateInitiative(
      s.deps,
      ORGANISER,
      edited({
        collection: { start: '2026-11-01', end: '2027-09-30', enabled: true },
        registerUrl: 'https://example.org/r',
      }),
    );

    expect(view.initiative.collection.end).toBe('2027-09-30');
    expect(s.trail.entries[0]?.details).toMatchObject({ changedFields: ['collection.end', 'registerUrl'] });
  });

  it('re-checks the lock when go-live came between its read and its write', async () => {
    const s = setup();
    s.initiatives.beforeReplace = () => {
      s.initiatives.beforeReplace = undefined;
      s.initiatives.lifecycle = { mode: 'live' };
      s.initiatives.version += 1;
    };

    await expect(
      updateInitiative(s.deps, ORGANISER, edited({ registrationNumber: 'ECI(2026)000043' })),
    ).rejects.toBeInstanceOf(LiveLockedError);
    expect(s.initiatives.value?.registrationNumber).toBe('ECI(2026)000042');
  });

  it('answers 503 (DependencyUnavailableError) when the item keeps changing', async () => {
    const s = setup();
    s.initiatives.beforeReplace = () => {
      s.initiatives.version += 1;
    };

    await expect(
      updateInitiative(s.deps, ORGANISER, edited({ registerUrl: 'https://example.org/x' })),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(s.initiatives.replaceCalls).toBe(MAX_WRITE_ATTEMPTS);
    expect(s.trail.entries).toEqual([]);
  });

  it('fails as not configured without an initiative', async () => {
    const s = setup({ mode: 'test' }, 'none');
    await expect(updateInitiative(s.deps, ORGANISER, testInitiative())).rejects.toBeInstanceOf(
      InitiativeNotConfiguredError,
    );
  });
});

describe('setCollection (POST /api/admin/collection)', () => {
  it('pauses: the switch goes off, the status is paused, one collection_paused entry', async () => {
    const s = setup();

    const answer = await setCollection(s.deps, ORGANISER, { action: 'pause' });

    expect(answer).toEqual({ status: 'paused' });
    expect(s.initiatives.value?.collection.enabled).toBe(false);
    expect(s.trail.entries.map((e) => [e.action, e.details])).toEqual([
      ['collection_paused', { status: 'paused' }],
    ]);
  });

  it('opens again: collection_opened', async () => {
    const s = setup({ mode: 'live' }, testInitiative({ enabled: false }));

    expect(await setCollection(s.deps, ORGANISER, { action: 'open' })).toEqual({ status: 'open' });
    expect(s.trail.entries.map((e) => e.action)).toEqual(['collection_opened']);
  });

  it('answers a request that changes nothing (opening what is open) without a write or an entry', async () => {
    const s = setup();

    expect(await setCollection(s.deps, ORGANISER, { action: 'open' })).toEqual({ status: 'open' });
    expect(s.initiatives.replaceCalls).toBe(0);
    expect(s.trail.entries).toEqual([]);
  });

  it('answers closed after the end date whatever the switch (collection closes by itself)', async () => {
    const s = setup({ mode: 'live' }, testInitiative({ enabled: false }));
    s.clock.set(Date.parse('2027-11-15T10:00:00Z'));

    expect(await setCollection(s.deps, ORGANISER, { action: 'open' })).toEqual({ status: 'closed' });
    expect(s.initiatives.value?.collection.enabled).toBe(true);
  });

  it.each([{}, { action: 'close' }, { action: 'open', force: true }])(
    'refuses %j with field errors',
    async (body) => {
      const s = setup();
      await expect(setCollection(s.deps, ORGANISER, body)).rejects.toBeInstanceOf(InvalidRequestError);
      expect(s.trail.entries).toEqual([]);
    },
  );
});

describe('recordSubmission (POST /api/admin/submission)', () => {
  it('stores the date, moves the destruction deadline and records it', async () => {
    const s = setup({ mode: 'live' });
    s.clock.set(Date.parse('2027-12-20T10:00:00Z'));

    const view = await recordSubmission(s.deps, ORGANISER, { date: '2027-12-15' });

    expect(view.submittedOn).toBe('2027-12-15');
    expect(view.destruction).toEqual({ deadline: '2028-01-15', rule: 'submission_plus_1_month' });
    expect(s.initiatives.lifecycle.submittedOn).toBe('2027-12-15');
    expect(s.trail.entries.map((e) => [e.action, e.details])).toEqual([
      [
        'submission_recorded',
        {
          submittedOn: '2027-12-15',
          previous: null,
          deadline: '2028-01-15',
          rule: 'submission_plus_1_month',
        },
      ],
    ]);
  });

  it('corrects an earlier date (recorded with the previous one); the same date again records nothing', async () => {
    const s = setup({ mode: 'live', submittedOn: '2027-12-15' });
    s.clock.set(Date.parse('2027-12-20T10:00:00Z'));

    await recordSubmission(s.deps, ORGANISER, { date: '2027-12-14' });
    await recordSubmission(s.deps, ORGANISER, { date: '2027-12-14' });

    expect(s.trail.entries.map((e) => e.details.previous)).toEqual(['2027-12-15']);
  });

  it.each([
    ['a date in the future (Brussels)', '2026-11-29', 'in the future'],
    ['a date before the collection started', '2026-10-31', 'before the collection'],
  ])('refuses %s', async (_, date, message) => {
    const s = setup();

    const error = await recordSubmission(s.deps, ORGANISER, { date }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).errors).toEqual([
      { field: 'date', code: 'invalid_date', message: expect.stringContaining(message) },
    ]);
    expect(s.trail.entries).toEqual([]);
  });

  it('refuses a malformed date', async () => {
    const s = setup();
    await expect(recordSubmission(s.deps, ORGANISER, { date: '15/12/2027' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});
