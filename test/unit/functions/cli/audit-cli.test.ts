import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuditExport, runAuditCli } from '@ocs/functions/cli/audit-cli';
import { type AuditEntry, GENESIS_HASH, hashEntry } from '@ocs/shared/audit';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildChain } from '../../../support/audit-chain';
import { auditCommand as cli, repoRoot, run } from '../../../support/audit-cli';
import { FakeAuditTrail } from '../../../support/fake-audit-trail';

let dir: string;
let entries: AuditEntry[];
let out: string[];
let err: string[];
const io = () => ({ out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  entries = await buildChain();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocs-audit-cli-'));
  out = [];
  err = [];
});

describe('parseAuditExport', () => {
  it('reads the API answer, a JSON array and JSON lines alike', () => {
    const api = JSON.stringify({ entries, chainValid: true });
    const lines = `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
    expect(parseAuditExport(api)).toEqual(entries);
    expect(parseAuditExport(JSON.stringify(entries, null, 2))).toEqual(entries);
    expect(parseAuditExport(lines)).toEqual(entries);
    expect(parseAuditExport(JSON.stringify(entries[0]))).toEqual([entries[0]]);
    expect(parseAuditExport('{"entries":[]}')).toEqual([]);
  });

  it.each([
    ['', /empty/],
    ['{"items":[]}', /expected/],
    ['42', /expected/],
    ['{"seq":1}\nnot json', /line 2 is not JSON/],
  ])('refuses %j', (text, message) => {
    expect(() => parseAuditExport(text)).toThrow(message);
  });
});

describe('runAuditCli verify', () => {
  it('prints the count and head of a valid chain and exits 0', async () => {
    const code = await runAuditCli(['verify', file('a.json', JSON.stringify({ entries }))], io());
    expect(code).toBe(0);
    expect(out).toEqual([`chain valid: ${entries.length} entries, head ${entries.at(-1)?.hash}`]);
  });

  it('prints where a tampered chain breaks and exits 1', async () => {
    const tampered = entries.map((e) => (e.seq === 4 ? { ...e, at: '2026-06-01T00:00:00.000Z' } : e));
    const code = await runAuditCli(['verify', file('t.json', JSON.stringify(tampered))], io());
    expect(code).toBe(1);
    expect(out).toEqual([expect.stringMatching(/^chain BROKEN at seq 4: hash [0-9a-f]{64} does not match/)]);
  });

  it('verifies a later segment from --prev-hash', async () => {
    const segment = file('s.json', JSON.stringify(entries.slice(3)));
    expect(await runAuditCli(['verify', segment], io())).toBe(1);
    expect(await runAuditCli(['verify', segment, '--prev-hash', entries[2]?.hash as string], io())).toBe(0);
  });

  it('checks that an anchored hash is in the chain', async () => {
    const path = file('a.json', JSON.stringify({ entries }));
    expect(await runAuditCli(['verify', path, '--anchor', entries[1]?.hash as string], io())).toBe(0);
    expect(out.at(-1)).toMatch(/found at seq 2$/);
    expect(await runAuditCli(['verify', path, '--anchor', GENESIS_HASH], io())).toBe(0);

    const forgedLast = { ...(entries.at(-1) as AuditEntry), details: { forged: true } };
    const forged = [...entries.slice(0, -1), { ...forgedLast, hash: await hashEntry(forgedLast) }];
    const forgedPath = file('f.json', JSON.stringify(forged));
    expect(await runAuditCli(['verify', forgedPath, '--anchor', entries.at(-1)?.hash as string], io())).toBe(
      1,
    );
    expect(out.at(-1)).toMatch(/NOT FOUND/);
  });

  it.each([
    [['verify', '/nonexistent/audit.json'], /cannot read \/nonexistent\/audit\.json \(ENOENT\)/],
    [['verify'], /Usage/],
    [['verify', 'x.json', '--anchor', 'short'], /--anchor must be 64 lower-case hex digits/],
    [['verify', 'x.json', '--colour', 'red'], /unexpected argument '--colour'/],
    [['shred'], /Usage/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    expect(await runAuditCli(args, io())).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });
});

describe('runAuditCli export', () => {
  const trailWith = async (count: number) => {
    const trail = new FakeAuditTrail();
    for (let i = 0; i < count; i++) await trail.append({ sub: 's', email: null }, 'sign_in', {});
    let closed = false;
    return {
      opener: async () => ({
        trail,
        close: async () => {
          closed = true;
        },
      }),
      closed: () => closed,
    };
  };

  it('writes the API answer shape to --out, which verify then accepts', async () => {
    const fake = await trailWith(3);
    const path = join(dir, 'export.json');

    expect(await runAuditCli(['export', '--out', path], { ...io(), openTrail: fake.opener })).toBe(0);

    expect(fake.closed()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ chainValid: true, entries: [{}, {}, {}] });
    expect(err).toEqual([expect.stringMatching(/^exported 3 entries, head [0-9a-f]{64}, chain valid -> /)]);
    expect(await runAuditCli(['verify', path], io())).toBe(0);
  });

  it('prints to stdout without --out', async () => {
    const fake = await trailWith(1);
    expect(await runAuditCli(['export'], { ...io(), openTrail: fake.opener })).toBe(0);
    expect(JSON.parse(out.join('\n')).entries).toHaveLength(1);
  });

  it('reports a broken stored chain with exit 1', async () => {
    const fake = await trailWith(2);
    const { trail } = await fake.opener();
    (trail.entries as unknown[])[0] = { ...trail.entries[0], action: 'go_live' };
    expect(await runAuditCli(['export'], { ...io(), openTrail: fake.opener })).toBe(1);
    expect(err.at(-1)).toMatch(/chain BROKEN at seq 1/);
  });

  it('exits 2 when export cannot run here', async () => {
    expect(await runAuditCli(['export'], io())).toBe(2);
  });
});

/** The real command, as a person runs it, in its own process. */
describe('npm run audit -- verify (spawned)', { timeout: 60_000 }, () => {
  it('exits 0 on a valid file, through the npm script', async () => {
    const path = file('valid.jsonl', entries.map((e) => JSON.stringify(e)).join('\n'));
    const result = await run('npm', ['run', '--silent', 'audit', '--', 'verify', path], { cwd: repoRoot });
    expect(result.stdout.trim()).toBe(`chain valid: ${entries.length} entries, head ${entries.at(-1)?.hash}`);
  });

  it('exits 1 on a tampered file', async () => {
    const tampered = entries.map((e) =>
      e.seq === 2 ? { ...e, actor: { ...e.actor, email: 'x@example.org' } } : e,
    );
    const result = await cli(['verify', file('tampered.json', JSON.stringify({ entries: tampered }))]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^chain BROKEN at seq 2: /);
  });

  it('exits 2 on garbage', async () => {
    const result = await cli(['verify', file('garbage.json', '\u0000\u0001 not json at all')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^audit: line 1 is not JSON/);
  });
});
