import { getInitiative } from '@ocs/functions/use-cases/get-initiative';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeInitiativeStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

const at = (iso: string) => new ManualClock(Date.parse(iso));

describe('getInitiative', () => {
  it('projects the public fields only', async () => {
    const result = await getInitiative({
      initiatives: new FakeInitiativeStore(testInitiative()),
      clock: at('2026-11-28T10:00:00Z'),
    });

    expect(result).toEqual({
      registrationNumber: 'ECI(2026)000042',
      languages: ['en', 'pl'],
      content: testInitiative().content,
      organisers: [
        { name: 'Anna Representative', country: 'DE' },
        { name: 'Bruno Substitute', country: 'FR' },
      ],
      registerUrl: 'https://citizens-initiative.europa.eu/initiatives/details/2026/000042_en',
      collection: { status: 'open', start: '2026-11-01', end: '2027-10-31' },
      partialRegistration: 'Only the first objective is registered.',
      certificateUrl: 'https://example.org/certificate.pdf',
      dataProtectionContact: { name: 'Anna Representative', email: 'privacy@example.org' },
      mode: 'test',
      destruction: { deadline: '2028-08-01' },
    });
    expect(JSON.stringify(result)).not.toMatch(/"enabled"|"role"|"id"/);
  });

  it('says `live` once the organisers went live, and never shows the lifecycle details', async () => {
    const result = await getInitiative({
      initiatives: new FakeInitiativeStore(testInitiative(), {
        mode: 'live',
        liveSince: '2026-11-20T09:00:00.000Z',
        submittedOn: '2027-12-01',
      }),
      clock: at('2026-11-28T10:00:00Z'),
    });

    expect(result.mode).toBe('live');
    expect(JSON.stringify(result)).not.toMatch(/liveSince|submittedOn|2027-12-01/);
    // The submission brings the destruction forward: one month after it.
    expect(result.destruction).toEqual({ deadline: '2028-01-01' });
  });

  it('leaves out optional fields the initiative does not have', async () => {
    const { partialRegistration: _p, certificateUrl: _c, ...bare } = testInitiative();

    const result = await getInitiative({
      initiatives: new FakeInitiativeStore(bare),
      clock: at('2026-11-28T10:00:00Z'),
    });

    expect(result).not.toHaveProperty('partialRegistration');
    expect(result).not.toHaveProperty('certificateUrl');
  });

  it.each([
    ['not_started the day before start (Brussels)', '2026-10-31T22:59:59Z', {}, 'not_started'],
    ['open on the first day in Brussels, still the day before in UTC', '2026-10-31T23:00:00Z', {}, 'open'],
    ['open on the last day', '2027-10-31T22:59:59Z', {}, 'open'],
    ['closed the day after the end (Brussels)', '2027-10-31T23:00:00Z', {}, 'closed'],
    ['closed when switched off', '2026-11-28T10:00:00Z', { enabled: false }, 'closed'],
  ] as const)('computes the status: %s', async (_, now, collection, status) => {
    const result = await getInitiative({
      initiatives: new FakeInitiativeStore(testInitiative(collection)),
      clock: at(now),
    });

    expect(result.collection.status).toBe(status);
  });

  it('fails with InitiativeNotConfiguredError without an initiative', async () => {
    await expect(
      getInitiative({ initiatives: new FakeInitiativeStore(undefined), clock: at('2026-11-28T10:00:00Z') }),
    ).rejects.toBeInstanceOf(InitiativeNotConfiguredError);
  });
});
