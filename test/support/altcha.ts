import { solveChallenge } from 'altcha-lib';
import { deriveKey as derivePbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as deriveSha } from 'altcha-lib/algorithms/sha';

interface Challenge {
  parameters: { algorithm: string; [key: string]: unknown };
  signature: string;
}

/** Solves an ALTCHA challenge as the widget does and returns the `altcha` field's payload. */
export async function solve(challenge: Challenge): Promise<string> {
  const deriveKey = challenge.parameters.algorithm === 'SHA-256' ? deriveSha : derivePbkdf2;
  // biome-ignore lint/suspicious/noExplicitAny: the library's Challenge type is structural.
  const solution = await solveChallenge({ challenge: challenge as any, deriveKey, timeout: 60_000 });
  if (!solution) throw new Error('challenge not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

/** Fetches a challenge from a running server and solves it. */
export async function fetchAndSolve(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/challenge`);
  if (res.status !== 200) throw new Error(`GET /api/challenge: ${res.status}`);
  return solve((await res.json()) as Challenge);
}
