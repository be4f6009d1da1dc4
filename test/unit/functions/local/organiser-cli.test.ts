import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOrganiserCli } from '@ocs/functions/local/organiser-cli';
import { beforeEach, describe, expect, it } from 'vitest';

/** `npm run organiser -- add|list|remove`: what it prints is part of the contract. */
describe('organiser CLI', { timeout: 30_000 }, () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  const cli = (...args: string[]) =>
    runOrganiserCli(
      args,
      dataDir,
      (line) => out.push(line),
      (line) => err.push(line),
    );
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ocs-cli-'));
    out = [];
    err = [];
  });

  it('add prints the initial password and the TOTP key URI, each on its own line', async () => {
    expect(await cli('add', 'ada@example.org')).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^password: [A-Za-z0-9_-]{24}$/);
    expect(out[1]).toMatch(/^totp: otpauth:\/\/totp\/[^\s?]+\?\S*secret=[A-Z2-7]+\S*$/);
  });

  it('list shows each organiser and whether the initial password is still set; remove deletes', async () => {
    await cli('add', 'ada@example.org');
    await cli('add', 'bob@example.org');
    out = [];
    expect(await cli('list')).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^ada@example\.org\tcreated \S+\tinitial password$/);
    out = [];
    expect(await cli('remove', 'ada@example.org')).toBe(0);
    expect(out).toEqual(['removed']);
    out = [];
    await cli('list');
    expect(out.join('\n')).not.toContain('ada@example.org');
  });

  it('fails clearly: duplicate, unknown, not an address, wrong usage', async () => {
    await cli('add', 'ada@example.org');
    out = [];
    expect(await cli('add', 'ada@example.org')).toBe(1);
    expect(await cli('remove', 'bob@example.org')).toBe(1);
    expect(await cli('add', 'not-an-address')).toBe(1);
    expect(await cli()).toBe(2);
    expect(await cli('add')).toBe(2);
    expect(await cli('delete', 'ada@example.org')).toBe(2);
    expect(out).toEqual([]);
    expect(err.at(-1)).toContain('Usage: npm run organiser -- add <email> | list | remove <email>');
  });
});
