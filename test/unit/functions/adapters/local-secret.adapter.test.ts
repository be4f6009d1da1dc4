import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyProvider } from '@ocs/functions/adapters/local-key-provider.adapter';
import { LocalSecret } from '@ocs/functions/adapters/local-secret.adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('LocalSecret', () => {
  let dir: string;
  let keys: LocalKeyProvider;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocs-secret-'));
    keys = LocalKeyProvider.open(join(dir, 'keys', 'master.key'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a 32-byte secret on first load and stores it encrypted (mode 0600)', async () => {
    const path = join(dir, 'keys', 'dedup-secret.enc');

    const secret = await new LocalSecret(keys, path, 'dedup').load();

    expect(secret).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).includes(Buffer.from(secret))).toBe(false);
  });

  it('returns the same secret on every load and across instances', async () => {
    const path = join(dir, 'keys', 'dedup-secret.enc');
    const first = await new LocalSecret(keys, path, 'dedup').load();

    const again = await new LocalSecret(keys, path, 'dedup').load();

    expect(again).toEqual(first);
  });

  it('keeps ensure() idempotent: an existing file is never replaced', () => {
    const path = join(dir, 'keys', 'challenge-secret.enc');
    const secret = new LocalSecret(keys, path, 'challenge');
    secret.ensure();
    const bytes = readFileSync(path);

    secret.ensure();

    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('binds the file to its name: another secret file does not load under this name', async () => {
    const dedupPath = join(dir, 'keys', 'dedup-secret.enc');
    const challengePath = join(dir, 'keys', 'challenge-secret.enc');
    await new LocalSecret(keys, dedupPath, 'dedup').load();
    copyFileSync(dedupPath, challengePath);

    await expect(new LocalSecret(keys, challengePath, 'challenge').load()).rejects.toThrow();
  });
});
