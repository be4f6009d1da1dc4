import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from './password';

/**
 * FOR LOCAL MODE ONLY. Organiser accounts in one file of the data directory, encrypted under the
 * local secrets key (the file holds e-mail addresses and TOTP secrets). The CLI and the running
 * server share it: every change happens under an exclusive lock file and lands by atomic rename,
 * and the server reads the file again on each sign-in, so an account added or removed while it
 * runs counts at once.
 *
 * Sign-in: password (scrypt) AND a current TOTP code (RFC 6238: SHA-1, 6 digits, 30 s; the
 * previous and next step accepted for clock drift). A code is accepted once: its time step must
 * be later than the last one used. After 5 failed attempts in a row, an account is locked for
 * 30 s, doubling with each further failure up to 15 minutes; a success resets the count.
 * Attempts on unknown addresses are counted the same way (in memory), and cost the same scrypt
 * work, so neither the answer nor its timing tells whether an address has an account.
 */

/** What the encrypted file holds for one organiser. */
interface OrganiserRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
  readonly totpSecret: string;
  /** TOTP time step of the last accepted code (-1: none yet). */
  readonly lastTotpStep: number;
  readonly failedAttempts: number;
  /** Epoch milliseconds until which sign-in is refused (0: not locked). */
  readonly lockedUntil: number;
  readonly createdAt: string;
}

interface OrganiserFile {
  readonly version: 1;
  readonly organisers: readonly OrganiserRecord[];
}

/** Encrypts the file's bytes at rest (the local key provider, bound to the file's purpose). */
export interface FileSealer {
  seal(plaintext: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Promise<Uint8Array>;
}

/** An organiser as the rest of the system sees it (no secret). */
export interface OrganiserSummary {
  readonly id: string;
  readonly email: string;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
}

export type SignInResult =
  | { readonly ok: true; readonly organiser: OrganiserSummary }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

export class OrganiserExistsError extends Error {
  override readonly name = 'OrganiserExistsError';
  constructor() {
    super('An organiser with this e-mail address already exists.');
  }
}

export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError';
  constructor() {
    super('This is not an e-mail address.');
  }
}

export class PasswordPolicyError extends Error {
  override readonly name = 'PasswordPolicyError';
  constructor(readonly problem: 'too_short' | 'too_long' | 'unchanged') {
    super(`The new password is refused (${problem}).`);
  }
}

/** Lockout policy (see the module comment). */
export const LOCKOUT = { freeAttempts: 5, firstLockMs: 30_000, maxLockMs: 15 * 60_000 } as const;

/** TOTP parameters (RFC 6238 defaults, which every authenticator app supports). */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30, window: 1 } as const;

const TOTP_ISSUER = 'OCS local';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** Trims and lower-cases an address; refuses what is not one. */
export function normaliseEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (normal.length > 254 || !EMAIL.test(normal)) throw new InvalidEmailError();
  return normal;
}

/** Where the store keeps its file in the data directory. */
export const organiserFilePath = (dataDir: string) => join(dataDir, 'organisers', 'organisers.enc');

function lockDelay(failures: number): number {
  if (failures < LOCKOUT.freeAttempts) return 0;
  return Math.min(LOCKOUT.maxLockMs, LOCKOUT.firstLockMs * 2 ** (failures - LOCKOUT.freeAttempts));
}

function totpFor(email: string, secret: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: email,
    algorithm: TOTP_PARAMETERS.algorithm,
    digits: TOTP_PARAMETERS.digits,
    period: TOTP_PARAMETERS.period,
    secret: Secret.fromBase32(secret),
  });
}

const summary = (r: OrganiserRecord): OrganiserSummary => ({
  id: r.id,
  email: r.email,
  mustChangePassword: r.mustChangePassword,
  createdAt: r.createdAt,
});

export class OrganiserStore {
  /** Failed attempts on addresses without an account, by hash of the address. */
  private readonly unknownFailures = new Map<string, { failures: number; lockedUntil: number }>();
  /** A hash to verify against when the address is unknown (same scrypt work). */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly path: string,
    private readonly sealer: FileSealer,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates an organiser; returns its initial password and TOTP key URI (shown once, never stored in clear). */
  async add(email: string): Promise<{ organiser: OrganiserSummary; password: string; totpUri: string }> {
    const normal = normaliseEmail(email);
    const password = randomPassword();
    const passwordHash = await hashPassword(password);
    const secret = new Secret({ size: 20 }).base32;
    const record: OrganiserRecord = {
      id: randomUUID(),
      email: normal,
      passwordHash,
      mustChangePassword: true,
      totpSecret: secret,
      lastTotpStep: -1,
      failedAttempts: 0,
      lockedUntil: 0,
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.update((organisers) => {
      if (organisers.some((o) => o.email === normal)) throw new OrganiserExistsError();
      return [...organisers, record];
    });
    return { organiser: summary(record), password, totpUri: totpFor(normal, secret).toString() };
  }

  async list(): Promise<OrganiserSummary[]> {
    return (await this.read()).organisers.map(summary);
  }

  /** Removes an organiser; false when there was none with this address. */
  async remove(email: string): Promise<boolean> {
    const normal = normaliseEmail(email);
    let removed = false;
    await this.update((organisers) => {
      const kept = organisers.filter((o) => o.email !== normal);
      removed = kept.length !== organisers.length;
      return kept;
    });
    return removed;
  }

  async findById(id: string): Promise<OrganiserSummary | undefined> {
    const record = (await this.read()).organisers.find((o) => o.id === id);
    return record ? summary(record) : undefined;
  }

  /** Checks an address, a password and a TOTP code together (see the module comment). */
  async signIn(email: string, password: string, code: string): Promise<SignInResult> {
    let normal: string;
    try {
      normal = normaliseEmail(email);
    } catch {
      normal = email;
    }
    const record = (await this.read()).organisers.find((o) => o.email === normal);
    if (!record) return this.unknownAttempt(normal, password);

    const now = this.now();
    if (record.lockedUntil > now) return { ok: false, reason: 'locked' };
    const passwordOk = await verifyPassword(password, record.passwordHash);
    const step = this.totpStep(record, code, now);
    const ok = passwordOk && step !== undefined;
    let outcome: SignInResult = { ok: false, reason: 'invalid' };
    await this.update((organisers) =>
      organisers.map((o) => {
        if (o.id !== record.id) return o;
        // Checked again under the lock: two sign-ins with the same code cannot both pass.
        if (ok && step !== undefined && step > o.lastTotpStep && o.lockedUntil <= now) {
          outcome = { ok: true, organiser: summary(o) };
          return { ...o, lastTotpStep: step, failedAttempts: 0, lockedUntil: 0 };
        }
        const failures = o.failedAttempts + 1;
        const delay = lockDelay(failures);
        return { ...o, failedAttempts: failures, lockedUntil: delay > 0 ? now + delay : o.lockedUntil };
      }),
    );
    return outcome;
  }

  /** Replaces a password (first sign-in); refuses one outside the policy or equal to the current one. */
  async changePassword(id: string, next: string): Promise<void> {
    const problem = passwordProblem(next);
    if (problem) throw new PasswordPolicyError(problem);
    const record = (await this.read()).organisers.find((o) => o.id === id);
    if (!record) throw new Error('No such organiser.');
    if (await verifyPassword(next, record.passwordHash)) throw new PasswordPolicyError('unchanged');
    const passwordHash = await hashPassword(next);
    await this.update((organisers) =>
      organisers.map((o) => (o.id === id ? { ...o, passwordHash, mustChangePassword: false } : o)),
    );
  }

  private totpStep(record: OrganiserRecord, code: string, now: number): number | undefined {
    const token = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(token)) return undefined;
    const totp = totpFor(record.email, record.totpSecret);
    const delta = totp.validate({ token, timestamp: now, window: TOTP_PARAMETERS.window });
    if (delta === null) return undefined;
    const step = totp.counter({ timestamp: now }) + delta;
    return step > record.lastTotpStep ? step : undefined;
  }

  private async unknownAttempt(email: string, password: string): Promise<SignInResult> {
    const key = createHash('sha256').update(email).digest('base64url');
    const now = this.now();
    const entry = this.unknownFailures.get(key) ?? { failures: 0, lockedUntil: 0 };
    if (entry.lockedUntil > now) return { ok: false, reason: 'locked' };
    this.dummyHash ??= hashPassword(randomPassword());
    await verifyPassword(password, await this.dummyHash);
    const failures = entry.failures + 1;
    const delay = lockDelay(failures);
    if (this.unknownFailures.size > 10_000) this.unknownFailures.clear();
    this.unknownFailures.set(key, { failures, lockedUntil: delay > 0 ? now + delay : entry.lockedUntil });
    return { ok: false, reason: 'invalid' };
  }

  private async read(): Promise<OrganiserFile> {
    let sealed: Buffer;
    try {
      sealed = readFileSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, organisers: [] };
      throw error;
    }
    const plain = await this.sealer.open(new Uint8Array(sealed));
    return JSON.parse(new TextDecoder().decode(plain)) as OrganiserFile;
  }

  /** Read-modify-write under the lock file; the new content lands by atomic rename. */
  private async update(change: (organisers: readonly OrganiserRecord[]) => OrganiserRecord[]): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const release = await this.lock();
    try {
      const current = await this.read();
      const next: OrganiserFile = { version: 1, organisers: change(current.organisers) };
      const temp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
      writeFileSync(temp, this.sealer.seal(new TextEncoder().encode(JSON.stringify(next))), {
        mode: 0o600,
        flag: 'wx',
      });
      renameSync(temp, this.path);
    } finally {
      release();
    }
  }

  private async lock(): Promise<() => void> {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lockPath, 'wx', 0o600));
        return () => rmSync(lockPath, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      // A lock left by a process that died mid-write is taken over once it is clearly stale.
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) rmSync(lockPath, { force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`The organiser file is locked (${lockPath}).`);
      await sleep(10 + Math.random() * 20);
    }
  }
}
