import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EncryptionContext } from '@ocs/shared/ports';
import { LocalKeyProvider, localKeyDestroyedAt } from '../adapters/local-key-provider.adapter';
import { localPaths } from '../wiring';
import { localSecretsKey } from '../wiring-keys';
import { organiserFilePath } from './oidc/organiser-store';

/**
 * FOR LOCAL MODE ONLY. The files the local secrets key encrypts, with the encryption context each
 * is bound to (the same contexts as LocalSecret and the organiser store use).
 */
function secretsKeyFiles(dataDir: string): [string, EncryptionContext][] {
  const paths = localPaths(dataDir);
  return [
    [paths.dedupSecret, { purpose: 'local-secret', secret: 'dedup' }],
    [paths.challengeSecret, { purpose: 'local-secret', secret: 'challenge' }],
    [organiserFilePath(dataDir), { purpose: 'local-organisers' }],
  ];
}

/**
 * Moves what data directories of earlier versions encrypted under the local master key (the
 * dedup and challenge secrets, the organiser accounts) to the local secrets key, so that
 * destroying the master key (the statement key) destroys the statements and nothing else. Each
 * file on its own, atomically (a new file renamed over the old one), and only if the secrets key
 * cannot already open it: safe to run at every start and to resume after a crash.
 */
export function migrateLocalSecrets(dataDir: string): number {
  const masterPath = localPaths(dataDir).masterKey;
  const pending = secretsKeyFiles(dataDir).filter(([path]) => existsSync(path));
  if (pending.length === 0) return 0;
  const secrets = localSecretsKey(dataDir);
  let master: LocalKeyProvider | undefined;
  let moved = 0;
  for (const [path, context] of pending) {
    const sealed = new Uint8Array(readFileSync(path));
    try {
      secrets.unwrap(sealed, context);
      continue; // already under the secrets key
    } catch {
      // Not (yet) under the secrets key: an earlier version's file.
    }
    if (!existsSync(masterPath) || localKeyDestroyedAt(masterPath)) continue;
    master ??= LocalKeyProvider.open(masterPath);
    const plaintext = master.unwrap(sealed, context);
    const next = `${path}.migrating`;
    writeFileSync(next, secrets.wrap(plaintext, context), { mode: 0o600 });
    plaintext.fill(0);
    renameSync(next, path);
    moved += 1;
  }
  return moved;
}
