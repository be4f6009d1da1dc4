import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oidcPaths, openOrganiserStore } from '@ocs/functions/local/oidc/local-files';
import {
  InvalidEmailError,
  LOCKOUT,
  OrganiserExistsError,
  type OrganiserStore,
  PasswordPolicyError,
} from '@ocs/functions/local/oidc/organiser-store';
import { hashPassword, verifyPassword } from '@ocs/functions/local/oidc/password';
import { TOTP, URI } from 'otpauth';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * Local organiser accounts: scrypt passwords, TOTP (RFC 6238) with replay refusal, lockout with
 * growing delays, the file encrypted at rest and shared safely between CLI and server.
 */
const T0 = Date.parse('2026-11-30T10:00:05Z');

function codeAt(uri: string, timestamp: number): string {
  const totp = URI.parse(uri);
  if (!(totp instanceof TOTP)) throw new Error('not TOTP');
  return totp.generate({ timestamp });
}

describe('organiser store', { timeout: 60_000 }, () => {
  let dataDir: string;
  let now: number;
  let store: OrganiserStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ocs-organisers-'));
    now = T0;
    store = openOrganiserStore(dataDir, () => now);
  });

  it('adds an organiser with a random initial password and a standard TOTP key URI', async () => {
    const { organiser, password, totpUri } = await store.add('  Ada.Organiser@Example.ORG ');
    expect(organiser).toMatchObject({ email: 'ada.organiser@example.org', mustChangePassword: true });
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const totp = URI.parse(totpUri);
    expect(totp).toBeInstanceOf(TOTP);
    expect(totpUri).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]{32}/);
    expect(totp).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
    expect(await store.list()).toEqual([organiser]);
  });

  it('keeps the file encrypted (no address, no secret in clear) and readable by its owner only', async () => {
    const { totpUri } = await store.add('ada@example.org');
    const raw = readFileSync(oidcPaths(dataDir).organisers);
    const secret = new URL(totpUri).searchParams.get('secret') ?? '';
    expect(raw.toString('latin1')).not.toContain('ada@example.org');
    expect(raw.toString('latin1')).not.toContain(secret);
    expect(statSync(oidcPaths(dataDir).organisers).mode & 0o777).toBe(0o600);
  });

  it('refuses a second organiser with the same address, and what is not an address', async () => {
    await store.add('ada@example.org');
    await expect(store.add('ADA@example.org')).rejects.toBeInstanceOf(OrganiserExistsError);
    await expect(store.add('not an address')).rejects.toBeInstanceOf(InvalidEmailError);
  });

  it('signs in with password and a current code; the first sign-in must change the password', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    const result = await store.signIn('Ada@Example.org', password, codeAt(totpUri, now));
    expect(result).toMatchObject({
      ok: true,
      organiser: { email: 'ada@example.org', mustChangePassword: true },
    });
  });

  it('refuses a wrong password, a wrong code, a missing code, and an unknown address alike', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    const code = codeAt(totpUri, now);
    expect(await store.signIn('ada@example.org', 'wrong-password', code)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect(await store.signIn('ada@example.org', password, wrongCode)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await store.signIn('ada@example.org', password, '')).toEqual({ ok: false, reason: 'invalid' });
    expect(await store.signIn('bob@example.org', password, code)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts a code once: the same code, or an earlier step, is refused afterwards', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    const code = codeAt(totpUri, now);
    expect((await store.signIn('ada@example.org', password, code)).ok).toBe(true);
    expect(await store.signIn('ada@example.org', password, code)).toEqual({ ok: false, reason: 'invalid' });
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now - 30_000))).ok).toBe(false);
    // The next step (clock drift of one step) is accepted, and is later than the one used.
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now + 30_000))).ok).toBe(true);
  });

  it('accepts one step of clock drift either way, not two', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now - 60_000))).ok).toBe(false);
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now + 60_000))).ok).toBe(false);
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now - 30_000))).ok).toBe(true);
  });

  it('locks an account after repeated failures, with a doubling delay, even for the right credentials', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    for (let i = 0; i < LOCKOUT.freeAttempts; i++) {
      expect(await store.signIn('ada@example.org', 'wrong', '000000')).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await store.signIn('ada@example.org', password, codeAt(totpUri, now))).toEqual({
      ok: false,
      reason: 'locked',
    });
    now += LOCKOUT.firstLockMs + 1;
    // One more failure after the lock: locked twice as long.
    expect(await store.signIn('ada@example.org', 'wrong', '000000')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    now += LOCKOUT.firstLockMs + 1;
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now))).ok).toBe(false);
    now += LOCKOUT.firstLockMs;
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now))).ok).toBe(true);
    // A success resets the count.
    expect(await store.signIn('ada@example.org', 'wrong', '000000')).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('locks unknown addresses the same way, so a lock tells nothing about an account', async () => {
    for (let i = 0; i < LOCKOUT.freeAttempts; i++)
      await store.signIn('nobody@example.org', 'wrong', '000000');
    expect(await store.signIn('nobody@example.org', 'wrong', '000000')).toEqual({
      ok: false,
      reason: 'locked',
    });
  });

  it('changes the password: length policy, not the current one, and the old one stops working', async () => {
    const { organiser, password, totpUri } = await store.add('ada@example.org');
    await expect(store.changePassword(organiser.id, 'short')).rejects.toMatchObject({ problem: 'too_short' });
    await expect(store.changePassword(organiser.id, 'x'.repeat(129))).rejects.toMatchObject({
      problem: 'too_long',
    });
    await expect(store.changePassword(organiser.id, password)).rejects.toBeInstanceOf(PasswordPolicyError);
    await store.changePassword(organiser.id, 'a much better passphrase');
    expect((await store.list())[0]?.mustChangePassword).toBe(false);
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now))).ok).toBe(false);
    now += 30_000;
    expect(
      await store.signIn('ada@example.org', 'a much better passphrase', codeAt(totpUri, now)),
    ).toMatchObject({
      ok: true,
      organiser: { mustChangePassword: false },
    });
  });

  it('removes an organiser; sign-in is refused afterwards', async () => {
    const { password, totpUri } = await store.add('ada@example.org');
    expect(await store.remove('ADA@example.org')).toBe(true);
    expect(await store.remove('ada@example.org')).toBe(false);
    expect(await store.list()).toEqual([]);
    expect((await store.signIn('ada@example.org', password, codeAt(totpUri, now))).ok).toBe(false);
  });

  it('loses no change when two processes (CLI and server) write at once', async () => {
    const other = openOrganiserStore(dataDir, () => now);
    const emails = Array.from({ length: 6 }, (_, i) => `organiser${i}@example.org`);
    await Promise.all(emails.map((email, i) => (i % 2 ? store : other).add(email)));
    expect((await store.list()).map((o) => o.email).sort()).toEqual(emails.sort());
  });
});

describe('organiser passwords (scrypt)', () => {
  it('stores the parameters and a salt with the hash; verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });
});
