import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Organiser passwords, hashed with scrypt (RFC 7914; node:crypto), a memory-hard function:
 * N = 2^15, r = 8, p = 1 takes 32 MiB of memory and about 0.1 s of one core per guess, the
 * interactive-login parameters its author recommends. A 16-byte random salt per password; the
 * parameters are stored with the hash, so they can be raised later without breaking old hashes.
 *
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Local password policy: length over composition (NIST SP 800-63B), and not the one being replaced. */
export const PASSWORD_POLICY = { minLength: 12, maxLength: 128 } as const;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes a password with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, LOG2_N, R, P);
  return ['scrypt', LOG2_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; constant time in the comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random initial password (24 characters, 144 bits), to be changed at first sign-in. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Why a new password is refused by the length policy, or undefined when it is acceptable. */
export function passwordProblem(candidate: string): 'too_short' | 'too_long' | undefined {
  const length = [...candidate].length;
  if (length < PASSWORD_POLICY.minLength) return 'too_short';
  if (length > PASSWORD_POLICY.maxLength) return 'too_long';
  return undefined;
}
