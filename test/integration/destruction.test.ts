import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tombstoneOf } from '@ocs/functions/adapters/local-key-provider.adapter';
import { type Config, parseConfig } from '@ocs/functions/config/config';
import { localExportsDir, makeRunExport } from '@ocs/functions/export/wiring';
import { makeRunRetention } from '@ocs/functions/retention/wiring';
import { localPaths } from '@ocs/functions/wiring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goLive, type SignedInOrganiser, signedInOrganiser } from '../support/admin';
import { getJson, progress, signRecorded } from '../support/api';
import { germanCitizen, polishCitizen, word } from '../support/citizens';
import { ManualClock } from '../support/clock';
import { type RunningServer, startLocalServer, startOwnSystem } from '../support/local-server';
import { localDynamo, scanAll } from '../support/table';
import { personalValues, privacyVerdict, scanLog, scanTable } from './privacy-scan';

/**
 * The destruction on the legal day, against a local system of its own (destruction is
 * irreversible): statements signed through the API (one with an e-mail address), a real export
 * written, then the job run in this process, against the system's DynamoDB Local and data
 * directory, with a clock set to the deadline day. Then the raw table is scanned: nothing personal
 * remains, the counters do; the certificate is in the audit trail; the master key file is gone.
 */
const TABLE = 'ocs-local';
const PERSONAL_PREFIXES = ['S#', 'T#', 'E#', 'ET#', 'K#', 'A#', 'D#'];
const repoRoot = resolve(import.meta.dirname, '..', '..');

let server: RunningServer;
let db: DynamoDBClient;
let valuesFile: string;
let organiser: SignedInOrganiser;
let config: Config;
let deadline: string;
let beforeDestruction: Awaited<ReturnType<typeof scanTable>> | undefined;

const items = () => scanAll(db, TABLE);
const personalItems = async () =>
  (await items()).filter((i) => PERSONAL_PREFIXES.some((p) => i.pk?.S?.startsWith(p)));

beforeAll(async () => {
  ({ server, valuesFile } = await startOwnSystem('destruction'));
  db = localDynamo(server.dynamoEndpoint);
  organiser = await goLive(server.baseUrl, server.dataDir);
  config = parseConfig({
    OCS_RUNTIME: 'local',
    OCS_DATA_DIR: server.dataDir,
    OCS_DYNAMODB_ENDPOINT: server.dynamoEndpoint,
    OCS_TABLE_NAME: TABLE,
    OCS_INITIATIVE_ID: 'eci-2026-000001',
  });
  deadline = (await organiser.call('GET', '/api/admin/retention')).body.deadline as string;
});

afterAll(async () => {
  // The table is scanned before the destruction too (after it, no statement is left to look at).
  const values = personalValues(valuesFile);
  const after = await scanTable(db, TABLE, values);
  db.destroy();
  await server.stop('SIGTERM');
  const table = {
    statementItems: beforeDestruction?.statementItems ?? 0,
    leaked: [...(beforeDestruction?.leaked ?? []), ...after.leaked],
  };
  console.log(privacyVerdict(values, table, scanLog(server.logFile, values)));
});

describe('destruction on the legal day, on a system of its own', () => {
  it('collects: statements (one with an e-mail address), a duplicate, an export', async () => {
    const pl = { ...polishCitizen(), email: `${word(10)}@example.org`, emailConsent: true };
    for (const citizen of [pl, germanCitizen(), polishCitizen()]) {
      expect((await signRecorded(server.baseUrl, valuesFile, citizen)).status).toBe(201);
    }
    // The same person again: a duplicate's answer record (D#).
    expect(
      (await signRecorded(server.baseUrl, valuesFile, { ...pl, submissionId: crypto.randomUUID() })).status,
    ).toBe(201);
    const result = await makeRunExport(config).execute({ exportId: 'before-destruction', countries: 'all' });
    expect(result.files.length).toBeGreaterThan(0);

    const families = new Set((await personalItems()).map((i) => i.pk?.S?.replace(/#.*/, '#')));
    expect([...families].sort()).toEqual(['A#', 'D#', 'E#', 'K#', 'S#']);
    expect((await progress(server.baseUrl)).total).toBe(3);
    beforeDestruction = await scanTable(db, TABLE, personalValues(valuesFile));
  });

  it('deletes nothing the day before the deadline (an injected clock)', async () => {
    const dayBefore = new Date(`${deadline}T12:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    const before = (await items()).length;

    const outcome = await (await makeRunRetention(config, { clock: new ManualClock(dayBefore) })).execute();

    expect(outcome).toMatchObject({ status: 'not_due', deadline });
    expect((await items()).length).toBe(before);
    expect(existsSync(localPaths(server.dataDir).masterKey)).toBe(true);
  });

  it('on the deadline day: nothing personal remains in the raw table, the counts do, the export files are gone', async () => {
    const clock = new ManualClock(new Date(`${deadline}T08:00:00Z`));
    const counters = (await items()).filter((i) => i.pk?.S?.startsWith('C#'));

    const outcome = await (await makeRunRetention(config, { clock })).execute();

    expect(outcome).toMatchObject({
      status: 'destroyed',
      certificate: { deadline, met: true, statementsDestroyed: 3, emailsDestroyed: 1 },
    });
    expect(await personalItems()).toEqual([]);
    const after = await items();
    expect(after.filter((i) => i.pk?.S?.startsWith('C#'))).toEqual(counters);
    expect(after.some((i) => i.pk?.S === 'INITIATIVE')).toBe(true);
    // Every item left is one the job keeps: counters, the initiative, the trail, markers, its record.
    for (const item of after) expect(item.pk?.S).toMatch(/^(C#|CT#|INITIATIVE$|L$|M#|RETENTION$)/);
    expect((await progress(server.baseUrl)).total).toBe(3);
    const exportsDir = localExportsDir(server.dataDir);
    expect(existsSync(exportsDir) ? readdirSync(exportsDir) : []).toEqual([]);
    expect(
      (outcome as { certificate: { exportsDestroyed: number } }).certificate.exportsDestroyed,
    ).toBeGreaterThan(1);
  });

  it('appends the certificate to the audit trail (chain valid), then destroys the local master key', async () => {
    const audit = await organiser.call('GET', '/api/admin/audit');
    expect(audit.body.chainValid).toBe(true);
    const entries = audit.body.entries as {
      action: string;
      actor: unknown;
      details: Record<string, unknown>;
    }[];
    const destruction = entries.filter((e) => e.action === 'destruction');
    expect(destruction).toHaveLength(1);
    expect(destruction[0]?.actor).toEqual({ sub: 'system', email: null });
    expect(destruction[0]?.details).toMatchObject({
      deadline,
      met: true,
      statementsDestroyed: 3,
      emailsDestroyed: 1,
    });
    expect(entries.map((e) => e.action).slice(-2)).toEqual(['destruction', 'key_destroyed']);

    const keys = localPaths(server.dataDir);
    expect(existsSync(keys.masterKey)).toBe(false);
    expect(existsSync(tombstoneOf(keys.masterKey))).toBe(true);

    const retention = await organiser.call('GET', '/api/admin/retention');
    expect(retention.body).toMatchObject({
      deadline,
      status: 'destroyed',
      certificates: [{ deadline, met: true, statementsDestroyed: 3, emailsDestroyed: 1 }],
      keyDestruction: { deletionDate: expect.any(String) },
    });
  });

  it('is safe to run again: `npm run retention` finds nothing, writes no second certificate', async () => {
    const run = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['functions/src/cli/retention.ts'], {
      cwd: repoRoot,
      env: { ...process.env, OCS_DATA_DIR: server.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    run.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => run.once('exit', done));

    expect(output).toContain('collection data already destroyed');
    expect(code).toBe(0);
    const entries = (await organiser.call('GET', '/api/admin/audit')).body.entries as { action: string }[];
    expect(entries.filter((e) => e.action === 'destruction')).toHaveLength(1);
    expect(await personalItems()).toEqual([]);
  });

  it('starts again without the key and says so: counts shown, organisers sign in, a statement is refused with 503', async () => {
    await server.stop('SIGTERM');
    server = await startLocalServer({
      dataDir: server.dataDir,
      logFile: server.logFile,
      env: { OCS_INITIATIVE_CACHE_SECONDS: '0' },
    });
    db.destroy();
    db = localDynamo(server.dynamoEndpoint);
    // The banner reaches the log file through a pipe: wait for it rather than race it.
    await expect
      .poll(() => readFileSync(server.logFile, 'utf8'), { timeout: 15_000 })
      .toContain('the collection data were destroyed and the statement key');

    expect((await getJson(server.baseUrl, '/api/initiative')).status).toBe(200);
    expect((await progress(server.baseUrl)).total).toBe(3);
    const another = await signedInOrganiser(server.baseUrl, server.dataDir);
    expect((await another.call('GET', '/api/admin/retention')).body).toMatchObject({ status: 'destroyed' });

    const refused = await signRecorded(server.baseUrl, valuesFile, polishCitizen());
    expect(refused.status).toBe(503);
    // Nothing of the refused statement is stored: only its proof of work's claim (A#).
    expect((await personalItems()).filter((i) => !i.pk?.S?.startsWith('A#'))).toEqual([]);
    expect(existsSync(localPaths(server.dataDir).masterKey)).toBe(false);
  });
});
