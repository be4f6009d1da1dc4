import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoAuditTrail } from '@ocs/functions/adapters/dynamo-audit-trail.adapter';
import { DynamoSignInMarkerStore } from '@ocs/functions/adapters/dynamo-sign-in-marker.adapter';
import { startDynamoDbLocal } from '@ocs/functions/local/dynamodb-local';
import { ensureTable } from '@ocs/functions/local/table';
import { recordSignInOnce } from '@ocs/functions/use-cases/audit';
import { localPaths } from '@ocs/functions/wiring';
import { type AuditEntry, canonicalJson, hashEntry, verifyChain } from '@ocs/shared/audit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ORGANISER, OTHER_ORGANISER } from '../support/audit-chain';
import { auditCommand as cli } from '../support/audit-cli';
import { localDynamo } from '../support/table';

const endpoint = inject('dynamoEndpoint');
/** A table of its own, so the other suites' items and this one's never meet. */
const table = `ocs-audit-${randomUUID().slice(0, 8)}`;
const clock = { now: () => new Date() };

let clients: DynamoDBClient[];

beforeAll(async () => {
  // Several clients: like several Lambda execution environments appending at once.
  clients = Array.from({ length: 5 }, () => localDynamo(endpoint));
  await ensureTable(clients[0] as DynamoDBClient, table);
});

afterAll(async () => {
  await clients[0]?.send(new DeleteTableCommand({ TableName: table }));
  for (const c of clients) c.destroy();
});

describe('audit trail on DynamoDB Local', () => {
  it('50 concurrent appends from 5 clients give seq 1..50, each entry once, one valid chain', async () => {
    const trails = clients.map((db) => new DynamoAuditTrail(db, table, clock));

    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (trails[i % trails.length] as DynamoAuditTrail).append(
          i % 2 ? ORGANISER : OTHER_ORGANISER,
          'initiative_updated',
          {
            n: i,
          },
        ),
      ),
    );

    const stored = await (trails[0] as DynamoAuditTrail).list();
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(stored.map((e) => Number(e.details.n)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect([...appended].sort((a, b) => a.seq - b.seq)).toEqual(stored);
    expect(await verifyChain(stored)).toMatchObject({ valid: true, count: 50, head: stored.at(-1)?.hash });
    expect(await (trails[1] as DynamoAuditTrail).head()).toEqual(stored.at(-1));
    expect((await (trails[2] as DynamoAuditTrail).list({ after: 45 })).map((e) => e.seq)).toEqual([
      46, 47, 48, 49, 50,
    ]);
  });

  it('records sign_in once for a burst of first requests of one session', async () => {
    const trail = new DynamoAuditTrail(clients[0] as DynamoDBClient, table, clock);
    const markers = new DynamoSignInMarkerStore(clients[1] as DynamoDBClient, table);
    const before = (await trail.head())?.seq ?? 0;
    const claims = {
      sub: ORGANISER.sub,
      email: ORGANISER.email,
      auth_time: String(Math.floor(Date.now() / 1000)),
    };

    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordSignInOnce({ trail, markers, clock }, claims)),
    );

    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    const added = await trail.list({ after: before });
    expect(added.map((e) => e.action)).toEqual(['sign_in']);
    expect((await recordSignInOnce({ trail, markers, clock }, claims)).recorded).toBe(false);
  });

  it('exports the table with the CLI; verify accepts the export and catches a rewritten item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocs-audit-export-'));
    const exported = join(dir, 'audit.json');

    const exportRun = await cli(['export', '--endpoint', endpoint, '--table', table, '--out', exported]);

    expect(exportRun.code).toBe(0);
    const { entries } = JSON.parse(readFileSync(exported, 'utf8')) as { entries: AuditEntry[] };
    expect(exportRun.stderr).toContain(
      `exported ${entries.length} entries, head ${entries.at(-1)?.hash}, chain valid`,
    );
    expect((await cli(['verify', exported])).stdout.trim()).toBe(
      `chain valid: ${entries.length} entries, head ${entries.at(-1)?.hash}`,
    );

    // Someone with write access to the table (not the functions) rewrites entry 7 and even
    // re-hashes it: the next entry's prevHash no longer matches.
    const { hash: _old, ...seven } = entries[6] as AuditEntry;
    const forged = { ...seven, details: { n: -1 } };
    await (clients[0] as DynamoDBClient).send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: 'L' },
          sk: { S: '000000000007' },
          seq: { N: '7' },
          entry: { S: canonicalJson(forged) },
          hash: { S: await hashEntry(forged) },
        },
      }),
    );
    const tamperedRun = await cli(['export', '--endpoint', endpoint, '--table', table, '--out', exported]);
    expect(tamperedRun.code).toBe(1);
    expect(tamperedRun.stderr).toMatch(/chain BROKEN at seq 8: prevHash/);
    const verifyRun = await cli(['verify', exported]);
    expect(verifyRun.code).toBe(1);
    expect(verifyRun.stdout).toMatch(/^chain BROKEN at seq 8: prevHash/);

    const missing = await cli(['export', '--endpoint', endpoint, '--table', 'no-such-table']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read table no-such-table/);
  });
});

/** `npm run audit -- export` without --endpoint: the local system's own data directory. */
describe('npm run audit -- export on the local data directory', () => {
  const envFor = (dataDir: string) => {
    const { OCS_DYNAMODB_ENDPOINT: _endpoint, OCS_TABLE_NAME: _table, ...env } = process.env;
    return { ...env, OCS_DATA_DIR: dataDir };
  };

  it('finds the DynamoDB Local of a running system, or starts one for the time of the export', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ocs-audit-data-'));
    const dbDir = localPaths(dataDir).dynamodb;
    const running = await startDynamoDbLocal(dbDir);
    const db = localDynamo(running.endpoint);
    try {
      await ensureTable(db, 'ocs-local');
      const trail = new DynamoAuditTrail(db, 'ocs-local', clock);
      for (const action of ['sign_in', 'go_live', 'collection_opened'] as const)
        await trail.append(ORGANISER, action, {});

      const whileRunning = await cli(['export'], envFor(dataDir));
      expect(whileRunning.code).toBe(0);
      expect(JSON.parse(whileRunning.stdout).entries).toHaveLength(3);
      // It used the running instance (starting another on the same data would have ended it).
      expect(await trail.head()).toMatchObject({ seq: 3 });
    } finally {
      db.destroy();
      await running.stop();
    }

    const stopped = await cli(['export', '--out', join(dataDir, 'audit.json')], envFor(dataDir));
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/^exported 3 entries, head [0-9a-f]{64}, chain valid/);
    expect(existsSync(join(dbDir, 'dynamodb-local.pid'))).toBe(false);
    expect((await cli(['verify', join(dataDir, 'audit.json')])).code).toBe(0);
  });

  it('exits 2 when there is no local data', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ocs-audit-empty-'));
    const result = await cli(['export'], envFor(empty));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no local data in .*: run npm start once, or pass --endpoint <url>/);
  });
});
