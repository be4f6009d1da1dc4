import { RETENTION_LEASE_MS, RunRetention } from '@ocs/functions/use-cases/run-retention';
import { SYSTEM_ACTOR, verifyChain } from '@ocs/shared/audit';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';
import {
  FakeExportFileStore,
  FakeKeyDestroyer,
  FakePersonalDataTable,
  FakeRetentionStore,
  familyOfKey,
} from '../../../support/fake-retention';
import { FakeInitiativeStore } from '../../../support/fakes';
import { testInitiative } from '../support/data';

/** The test initiative's collection starts on 2026-11-01: 21 months later is 2028-08-01. */
const DEADLINE = '2028-08-01';
/** Midday in Brussels on a date. */
const noon = (date: string) => Date.parse(`${date}T10:00:00Z`);

/** Everything a table holds: personal items of every family, and what must stay. */
const PERSONAL = ['S#a1', 'S#a2', 'S#a3', 'T#t1', 'E#r1', 'ET#r2', 'K#k1', 'K#k2', 'A#c1', 'D#d1'];
const KEPT = ['C#0', 'C#1', 'CT#0', 'INITIATIVE', 'L', 'M#org#s1', 'RETENTION'];

function setup(now = noon(DEADLINE)) {
  const clock = new ManualClock(now);
  const initiatives = new FakeInitiativeStore(testInitiative(), { mode: 'live' });
  const store = new FakeRetentionStore();
  const table = new FakePersonalDataTable(3).add(...PERSONAL, ...KEPT);
  const exportFiles = new FakeExportFileStore().addFiles('x1/PL.xml', 'x1/DE.xml', 'x1/manifest.json');
  const key = new FakeKeyDestroyer();
  const trail = new FakeAuditTrail(clock);
  let ids = 0;
  const job = new RunRetention({
    initiatives,
    store,
    table,
    exportFiles,
    key,
    trail,
    clock,
    newId: () => `id-${++ids}`,
  });
  const personalLeft = () => table.keys().filter((pk) => familyOfKey(pk) !== undefined);
  const entries = (action: string) => trail.entries.filter((e) => e.action === action);
  return { clock, initiatives, store, table, exportFiles, key, trail, job, personalLeft, entries };
}

describe('the destruction job before the deadline', () => {
  it('deletes nothing the day before the deadline (Brussels), and records the run', async () => {
    // 21:59 UTC on 31 July is still 31 July in Brussels (23:59, summer time).
    const s = setup(Date.parse('2028-07-31T21:59:00Z'));

    const outcome = await s.job.execute();

    expect(outcome).toEqual({
      status: 'not_due',
      deadline: DEADLINE,
      rule: 'collection_start_plus_21_months',
    });
    expect(s.table.keys().sort()).toEqual([...PERSONAL, ...KEPT].sort());
    expect(s.exportFiles.objects).toHaveLength(3);
    expect(s.key.calls).toBe(0);
    expect(s.trail.entries).toEqual([]);
    expect(s.store.record).toEqual({ lastRun: '2028-07-31T21:59:00.000Z', certificates: [] });
  });

  it('is due from the first minute of the deadline day in Brussels', async () => {
    const s = setup(Date.parse('2028-07-31T22:00:00Z'));

    expect((await s.job.execute()).status).toBe('destroyed');
  });

  it('follows the deadline the submission date sets (one month after it)', async () => {
    const s = setup(noon('2027-11-20'));
    s.initiatives.lifecycle = { mode: 'live', submittedOn: '2027-10-20' };

    const outcome = await s.job.execute();

    expect(outcome).toMatchObject({ status: 'destroyed', deadline: '2027-11-20' });
    expect(s.entries('destruction')[0]?.details).toMatchObject({ rule: 'submission_plus_1_month' });
  });
});

describe('the destruction job on the legal day', () => {
  it('leaves nothing personal, keeps the counts and the trail, certifies once, then destroys the key', async () => {
    const s = setup();

    const outcome = await s.job.execute();

    expect(s.personalLeft()).toEqual([]);
    expect(s.table.keys().sort()).toEqual([...KEPT].sort());
    expect(s.exportFiles.objects).toEqual([]);
    const certificate = {
      at: '2028-08-01T10:00:00.000Z',
      deadline: DEADLINE,
      met: true,
      statementsDestroyed: 4,
      emailsDestroyed: 2,
      exportsDestroyed: 3,
    };
    expect(outcome).toEqual({
      status: 'destroyed',
      deadline: DEADLINE,
      certificate,
      counts: {
        statements: 3,
        testStatements: 1,
        emails: 1,
        testEmails: 1,
        dataKeys: 2,
        challengeClaims: 1,
        duplicateAnswers: 1,
        exportFiles: 3,
      },
      keyDestruction: { at: '2028-08-01T10:00:00.000Z', deletionDate: '2028-08-08T10:00:00.000Z' },
    });
    expect(s.store.record.certificates).toEqual([certificate]);
    expect(s.store.record.lastRun).toBe('2028-08-01T10:00:00.000Z');
    expect(s.store.record.run).toBeUndefined();
    expect(s.store.record.lease).toBeUndefined();

    expect(s.trail.entries.map((e) => e.action)).toEqual(['destruction', 'key_destroyed']);
    const [destruction, keyDestroyed] = s.trail.entries;
    expect(destruction?.actor).toEqual(SYSTEM_ACTOR);
    expect(destruction?.details).toMatchObject({ ...certificate, rule: 'collection_start_plus_21_months' });
    expect(keyDestroyed?.details).toMatchObject({
      key: 'statements',
      deletionDate: '2028-08-08T10:00:00.000Z',
    });
    expect(s.key.calls).toBe(1);
    expect(await verifyChain(s.trail.entries)).toMatchObject({ valid: true, count: 2 });
  });

  it('destroys the key only after the certificate is in the trail', async () => {
    const s = setup();
    let entriesWhenKeyDestroyed = -1;
    const destroy = s.key.destroy.bind(s.key);
    s.key.destroy = async (now) => {
      entriesWhenKeyDestroyed = s.entries('destruction').length;
      return destroy(now);
    };

    await s.job.execute();

    expect(entriesWhenKeyDestroyed).toBe(1);
  });

  it('says late (met: false) when it runs after the deadline day', async () => {
    const s = setup(noon('2028-08-03'));

    const outcome = await s.job.execute();

    expect(outcome).toMatchObject({ certificate: { met: false, deadline: DEADLINE } });
  });

  it('certifies a destruction that found nothing too: the first certificate is always written', async () => {
    const s = setup();
    s.table.items.clear();
    s.exportFiles.objects = [];

    const outcome = await s.job.execute();

    expect(outcome).toMatchObject({
      certificate: { statementsDestroyed: 0, emailsDestroyed: 0, exportsDestroyed: 0, met: true },
    });
    expect(s.key.calls).toBe(1);
  });

  it('counts export files, not delete markers or unfinished uploads', async () => {
    const s = setup();
    s.exportFiles.objects = [
      { name: 'x1/PL.xml', version: 'v1', isFile: true },
      { name: 'x1/PL.xml', version: 'v0', isFile: true },
      { name: 'x1/DE.xml', version: 'm1', isFile: false },
      { name: 'x2/DE.xml', uploadId: 'u1', isFile: false },
    ];

    const outcome = await s.job.execute();

    expect(outcome).toMatchObject({ certificate: { exportsDestroyed: 2 } });
    expect(s.exportFiles.objects).toEqual([]);
  });
});

describe('the destruction job, run again', () => {
  it('twice: the second run finds nothing, writes no second certificate, destroys no key again, records the run', async () => {
    const s = setup();
    await s.job.execute();
    s.clock.advance(24 * 3600_000);

    const second = await s.job.execute();

    expect(second).toMatchObject({ status: 'destroyed', certificate: null });
    expect(s.entries('destruction')).toHaveLength(1);
    expect(s.entries('key_destroyed')).toHaveLength(1);
    expect(s.key.calls).toBe(1);
    expect(s.store.record.certificates).toHaveLength(1);
    expect(s.store.record.lastRun).toBe('2028-08-02T10:00:00.000Z');
  });

  it('deletes what arrived after the destruction, with a certificate of its own (late), once', async () => {
    const s = setup();
    await s.job.execute();
    s.table.add('S#late', 'E#late');
    s.clock.advance(24 * 3600_000);

    const outcome = await s.job.execute();

    expect(s.personalLeft()).toEqual([]);
    expect(outcome).toMatchObject({
      certificate: { statementsDestroyed: 1, emailsDestroyed: 1, exportsDestroyed: 0, met: false },
    });
    expect(s.store.record.certificates).toHaveLength(2);
    expect(s.key.calls).toBe(1);
  });

  it('deletes a challenge claim that came later without a certificate (it counts no statement)', async () => {
    const s = setup();
    await s.job.execute();
    s.table.add('A#later');

    await s.job.execute();

    expect(s.personalLeft()).toEqual([]);
    expect(s.entries('destruction')).toHaveLength(1);
  });

  it('keeps sweeping after the destruction even if the deadline moves later', async () => {
    const s = setup();
    await s.job.execute();
    s.initiatives.lifecycle = { mode: 'live', submittedOn: '2028-07-30' };
    s.table.add('S#late');

    await s.job.execute();

    expect(s.personalLeft()).toEqual([]);
  });
});

describe('the destruction job resumes after a crash', () => {
  it('midway through the table: the next run deletes the rest and counts every item exactly once', async () => {
    const s = setup();
    s.table.failDeleteIn = 2;

    await expect(s.job.execute()).rejects.toThrow(/died/);
    expect(s.personalLeft().length).toBeGreaterThan(0);
    expect(s.personalLeft().length).toBeLessThan(PERSONAL.length);
    expect(s.store.record.run?.pending?.items?.length).toBeGreaterThan(0);
    expect(s.trail.entries).toEqual([]);
    expect(s.key.calls).toBe(0);
    // The crashed run's lease was released (the failure was caught); a real crash leaves it to run out.
    const outcome = await s.job.execute();

    expect(s.personalLeft()).toEqual([]);
    expect(outcome).toMatchObject({
      counts: { statements: 3, testStatements: 1, emails: 1, testEmails: 1, dataKeys: 2 },
      certificate: { statementsDestroyed: 4, emailsDestroyed: 2, exportsDestroyed: 3 },
    });
    expect(s.entries('destruction')).toHaveLength(1);
  });

  it('midway through the exports: counted once', async () => {
    const s = setup();
    s.exportFiles.failDeleteIn = 1;

    await expect(s.job.execute()).rejects.toThrow(/died/);
    const outcome = await s.job.execute();

    expect(outcome).toMatchObject({ certificate: { exportsDestroyed: 3 } });
  });

  it('after the certificate was appended but before it was recorded: no second certificate', async () => {
    const s = setup();
    const append = s.trail.append.bind(s.trail);
    let dieAfterAppend = true;
    s.trail.append = async (actor, action, details) => {
      const entry = await append(actor, action, details);
      if (action === 'destruction' && dieAfterAppend) {
        dieAfterAppend = false;
        throw new Error('the process died right after the append (simulated)');
      }
      return entry;
    };

    await expect(s.job.execute()).rejects.toThrow(/died/);
    expect(s.key.calls).toBe(0);
    const outcome = await s.job.execute();

    expect(s.entries('destruction')).toHaveLength(1);
    expect(s.store.record.certificates).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'destroyed', certificate: s.store.record.certificates[0] });
    expect(s.key.calls).toBe(1);
  });

  it('when the key service fails: the certificate stays single, the next run destroys the key', async () => {
    const s = setup();
    s.key.failNext = new Error('KMS unavailable');

    await expect(s.job.execute()).rejects.toThrow('KMS unavailable');
    expect(s.entries('destruction')).toHaveLength(1);
    expect(s.store.record.keyDestroyed).toBeUndefined();
    await s.job.execute();

    expect(s.entries('destruction')).toHaveLength(1);
    expect(s.entries('key_destroyed')).toHaveLength(1);
    expect(s.store.record.keyDestroyed).toEqual({
      at: '2028-08-01T10:00:00.000Z',
      deletionDate: '2028-08-08T10:00:00.000Z',
    });
  });

  it('when a record write fails at any point: running again until done gives the same end state', async () => {
    for (let failAt = 1; failAt <= 40; failAt++) {
      const s = setup();
      s.store.failWriteIn = failAt;
      let runs = 0;
      for (;;) {
        runs += 1;
        try {
          if ((await s.job.execute()).status === 'destroyed') break;
        } catch {
          // A crash: the lease stays; the next run comes after it ran out.
          s.clock.advance(RETENTION_LEASE_MS + 1);
        }
        expect(runs, `failAt ${failAt}`).toBeLessThan(5);
      }
      expect(s.personalLeft(), `failAt ${failAt}`).toEqual([]);
      expect(s.entries('destruction'), `failAt ${failAt}`).toHaveLength(1);
      expect(s.entries('key_destroyed'), `failAt ${failAt}`).toHaveLength(1);
      expect(s.store.record.certificates, `failAt ${failAt}`).toEqual([
        expect.objectContaining({ statementsDestroyed: 4, emailsDestroyed: 2, exportsDestroyed: 3 }),
      ]);
    }
  });
});

describe('one run at a time', () => {
  it('answers busy while another run holds the job, and takes over once its lease ran out', async () => {
    const s = setup();
    await s.store.write(
      { certificates: [], lease: { owner: 'other', until: new Date(noon(DEADLINE) + 60_000).toISOString() } },
      0,
    );

    expect(await s.job.execute()).toEqual({ status: 'busy' });
    expect(s.table.keys()).toHaveLength(PERSONAL.length + KEPT.length);
    s.clock.advance(60_001);
    expect((await s.job.execute()).status).toBe('destroyed');
  });

  it('stops between batches when asked, and the next run finishes', async () => {
    const s = setup();
    let steps = 0;

    const first = await s.job.execute({ shouldStop: () => ++steps > 3 });
    expect(first.status).toBe('incomplete');
    expect(s.store.record.lease).toBeUndefined();
    expect(s.trail.entries).toEqual([]);

    const second = await s.job.execute();
    expect(second).toMatchObject({ certificate: { statementsDestroyed: 4, emailsDestroyed: 2 } });
  });
});
