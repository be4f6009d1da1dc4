import { readFileSync } from 'node:fs';
import { AUDIT_ACTIONS, type AuditEntry, nextEntry } from '@ocs/shared/audit';
import { describe, expect, it } from 'vitest';
import {
  auditActionText,
  auditFile,
  auditFileName,
  chainStatus,
  detailsText,
  shortHash,
} from '../../../../web/src/lib/console/audit-view.ts';

/** What the audit page says about the chain: the browser's own check next to the server's. */

const actor = { sub: 'sub-ada', email: 'ada@example.org' };

async function trail(length: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < length; i++) {
    entries.push(
      await nextEntry(entries.at(-1), {
        at: `2027-03-0${i + 1}T10:00:00.000Z`,
        actor,
        action: i === 0 ? 'sign_in' : 'initiative_updated',
        details: i === 0 ? {} : { changedFields: ['content.en.title'], digest: 'd'.repeat(64) },
      }),
    );
  }
  return entries;
}

describe('chainStatus', () => {
  it('verifies an intact chain and shows its head', async () => {
    const entries = await trail(3);
    expect(await chainStatus(entries, true)).toEqual({ kind: 'verified', count: 3, head: entries[2]?.hash });
  });

  it('finds the entry that was changed', async () => {
    const entries = await trail(3);
    const tampered = entries.map((e) => (e.seq === 2 ? { ...e, at: '2027-03-09T10:00:00.000Z' } : e));
    expect(await chainStatus(tampered, true)).toMatchObject({
      kind: 'broken',
      brokenAt: 2,
      serverValid: true,
    });
  });

  it('finds a removed entry', async () => {
    const entries = await trail(3);
    expect(await chainStatus([entries[0], entries[2]], true)).toMatchObject({ kind: 'broken', brokenAt: 3 });
  });

  it('says so when the server disagrees with an intact chain', async () => {
    expect((await chainStatus(await trail(2), false)).kind).toBe('server_disagrees');
  });

  it('has nothing to verify in an empty trail', async () => {
    expect(await chainStatus([], true)).toEqual({ kind: 'empty', serverValid: true });
  });
});

describe('the downloaded file', () => {
  it('is the API answer, entries unchanged, so the offline verifier reads it', async () => {
    const entries = await trail(2);
    const parsed = JSON.parse(auditFile(entries, true)) as { entries: AuditEntry[]; chainValid: boolean };
    expect(parsed).toEqual({ entries, chainValid: true });
    expect((await chainStatus(parsed.entries, parsed.chainValid)).kind).toBe('verified');
  });

  it('is named after the initiative and the day', () => {
    const now = new Date('2027-03-10T12:00:00Z');
    expect(auditFileName('clean-rivers', now)).toBe('audit-trail-clean-rivers-2027-03-10.json');
    expect(auditFileName(null, now)).toBe('audit-trail-2027-03-10.json');
    expect(auditFileName('../etc', now)).toBe('audit-trail-2027-03-10.json');
  });

  it('shows hashes short and details compact', () => {
    expect(shortHash('a'.repeat(64))).toBe('aaaaaaaaaaaa');
    expect(detailsText({})).toBe('');
    expect(detailsText({ countries: ['DE'] })).toBe('{"countries":["DE"]}');
  });
});

describe('auditActionText', () => {
  it('has words for every action the trail knows, and shows an unknown one by its name', () => {
    const words = JSON.parse(
      readFileSync(new URL('../../../../web/messages/console/en.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
    const en = Object.fromEntries(Object.entries(words).map(([key, text]) => [key, () => text])) as never;
    const texts = AUDIT_ACTIONS.map((action) => auditActionText(en, action));
    expect(texts).not.toContain(undefined);
    expect(new Set(texts).size).toBe(AUDIT_ACTIONS.length);
    expect(auditActionText(en, 'go_live')).toBe('Went live');
    expect(auditActionText(en, 'email_export_downloaded')).toBe('E-mail file downloaded');
    expect(auditActionText(en, 'something_new')).toBe('something_new');
  });
});
