import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeKeyCommand,
  KMSClient,
  KMSInvalidStateException,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DynamoPersonalDataTable,
  personalFamilyOf,
} from '@ocs/functions/adapters/dynamo-personal-data-table.adapter';
import { DynamoRetentionStore } from '@ocs/functions/adapters/dynamo-retention-store.adapter';
import { FileExportStore } from '@ocs/functions/adapters/file-export-store.adapter';
import {
  KEY_DELETION_PENDING_DAYS,
  KmsKeyDestroyer,
} from '@ocs/functions/adapters/kms-key-destroyer.adapter';
import {
  LocalKeyDestroyedError,
  LocalKeyProvider,
  localKeyDestroyedAt,
} from '@ocs/functions/adapters/local-key-provider.adapter';
import { S3ExportStore } from '@ocs/functions/adapters/s3-export-store.adapter';
import type { Config } from '@ocs/functions/config/config';
import { LocalKeyDestroyer } from '@ocs/functions/local/local-key-destroyer';
import { migrateLocalSecrets } from '@ocs/functions/local/local-keys';
import { organiserFilePath } from '@ocs/functions/local/oidc/organiser-store';
import { localPaths } from '@ocs/functions/wiring';
import { makeDedupSecret } from '@ocs/functions/wiring-keys';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);

describe('DynamoPersonalDataTable', () => {
  beforeEach(() => ddb.reset());
  const table = (options = {}) =>
    new DynamoPersonalDataTable(new DynamoDBClient({}), TABLE, { sleep: async () => {}, ...options });

  it('scans the keys only, consistently, filtered to the personal families, one page from where it stopped', async () => {
    ddb.on(ScanCommand).resolves({
      Items: [
        { pk: { S: 'S#ab' }, sk: { S: 'S' } },
        { pk: { S: 'ET#r1' }, sk: { S: 'E' } },
        { pk: { S: 'C#1' }, sk: { S: '2026-11-28' } },
      ],
      LastEvaluatedKey: { pk: { S: 'C#1' }, sk: { S: '2026-11-28' } },
    });

    const page = await table({ pageSize: 100 }).scanPage({ pk: 'A#x', sk: 'A' });

    // A counter that slipped through a filter is still never a personal item.
    expect(page).toEqual({
      items: [
        { pk: 'S#ab', sk: 'S', family: 'statements' },
        { pk: 'ET#r1', sk: 'E', family: 'testEmails' },
      ],
      next: { pk: 'C#1', sk: '2026-11-28' },
    });
    const input = ddb.commandCalls(ScanCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: '#pk, #sk',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ConsistentRead: true,
      Limit: 100,
      ExclusiveStartKey: { pk: { S: 'A#x' }, sk: { S: 'A' } },
    });
    expect(
      Object.values(input?.ExpressionAttributeValues ?? {})
        .map((v) => v.S)
        .sort(),
    ).toEqual(['S#', 'T#', 'E#', 'ET#', 'K#', 'A#', 'D#'].sort());
    expect(input?.FilterExpression?.split(' OR ')).toHaveLength(7);
  });

  it('ends the scan when DynamoDB says so', async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });

    expect(await table().scanPage(undefined)).toEqual({ items: [] });
    expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input.ExclusiveStartKey).toBeUndefined();
  });

  it('maps each prefix to its family, and keeps counters, the initiative, the trail, markers and the record out', () => {
    expect(['S#a', 'T#a', 'E#a', 'ET#a', 'K#a', 'A#a', 'D#a'].map((pk) => personalFamilyOf(pk))).toEqual([
      'statements',
      'testStatements',
      'emails',
      'testEmails',
      'dataKeys',
      'challengeClaims',
      'duplicateAnswers',
    ]);
    for (const pk of ['C#1', 'CT#1', 'INITIATIVE', 'L', 'M#a#b', 'RETENTION', 'X#1']) {
      expect(personalFamilyOf(pk), pk).toBeUndefined();
    }
  });

  it('deletes in batches of 25 and re-sends what DynamoDB left unprocessed', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ pk: `S#${i}`, sk: 'S' }));
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce({
        UnprocessedItems: { [TABLE]: [{ DeleteRequest: { Key: { pk: { S: 'S#3' }, sk: { S: 'S' } } } }] },
      })
      .resolves({});

    await table().deleteItems(items);

    const calls = ddb
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.[TABLE] ?? []);
    expect(calls.map((c) => c.length).sort((a, b) => a - b)).toEqual([1, 5, 25]);
    const deleted = calls.flat().map((r) => r.DeleteRequest?.Key?.pk?.S);
    expect(new Set(deleted).size).toBe(30);
  });

  it('gives up with 503 when deletes stay unprocessed, and refuses to delete anything that is not personal', async () => {
    ddb.on(BatchWriteItemCommand).resolves({
      UnprocessedItems: { [TABLE]: [{ DeleteRequest: { Key: { pk: { S: 'S#1' }, sk: { S: 'S' } } } }] },
    });
    await expect(table({ maxAttempts: 3 }).deleteItems([{ pk: 'S#1', sk: 'S' }])).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(3);

    ddb.reset();
    await expect(table().deleteItems([{ pk: 'C#1', sk: '2026-11-28' }])).rejects.toThrow(RangeError);
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });
});

describe('DynamoRetentionStore', () => {
  beforeEach(() => ddb.reset());
  const store = () => new DynamoRetentionStore(new DynamoDBClient({}), TABLE);

  it('reads an empty record at version 0 before the first run', async () => {
    ddb.on(GetItemCommand).resolves({});

    expect(await store().read()).toEqual({ record: { certificates: [] }, version: 0 });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'RETENTION' }, sk: { S: 'RUN' } },
      ConsistentRead: true,
    });
  });

  it('writes the next version only if the stored one is the expected one', async () => {
    ddb.on(PutItemCommand).resolves({});
    const record = { lastRun: '2028-08-01T00:30:00.000Z', certificates: [] };

    expect(await store().write(record, 0)).toBe(true);
    expect(await store().write(record, 4)).toBe(true);

    const [first, later] = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      Item: {
        pk: { S: 'RETENTION' },
        sk: { S: 'RUN' },
        data: { S: JSON.stringify(record) },
        version: { N: '1' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(later).toMatchObject({
      Item: { version: { N: '5' } },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': { N: '4' } },
    });
  });

  it('answers false when another write came first, and reads back what it wrote', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'no' }));
    expect(await store().write({ certificates: [] }, 2)).toBe(false);

    const record = { lastRun: 'x', certificates: [] };
    ddb.on(GetItemCommand).resolves({ Item: { data: { S: JSON.stringify(record) }, version: { N: '3' } } });
    expect(await store().read()).toEqual({ record, version: 3 });
  });
});

describe('S3ExportStore', () => {
  beforeEach(() => s3.reset());
  const store = () => new S3ExportStore(new S3Client({}), 'ocs-exports');

  it('lists every version and delete marker of the bucket, from the start', async () => {
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: 'exports/x1/PL.xml', VersionId: 'v2' },
        { Key: 'exports/x1/PL.xml', VersionId: 'v1' },
      ],
      DeleteMarkers: [{ Key: 'exports/x1/DE.xml', VersionId: 'm1' }],
    });

    expect(await store().list(500)).toEqual([
      { name: 'exports/x1/PL.xml', version: 'v2', isFile: true },
      { name: 'exports/x1/PL.xml', version: 'v1', isFile: true },
      { name: 'exports/x1/DE.xml', version: 'm1', isFile: false },
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand)[0]?.args[0].input).toEqual({
      Bucket: 'ocs-exports',
      MaxKeys: 500,
    });
    expect(s3.commandCalls(ListMultipartUploadsCommand)).toHaveLength(0);
  });

  it('lists unfinished uploads once no version is left', async () => {
    s3.on(ListObjectVersionsCommand).resolves({});
    s3.on(ListMultipartUploadsCommand).resolves({ Uploads: [{ Key: 'exports/x2/DE.xml', UploadId: 'u1' }] });

    expect(await store().list(500)).toEqual([{ name: 'exports/x2/DE.xml', uploadId: 'u1', isFile: false }]);
  });

  it('deletes by version (quietly) and aborts uploads; refused deletes are a failure', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(AbortMultipartUploadCommand).resolves({});

    await store().delete([
      { name: 'exports/x1/PL.xml', version: 'v2', isFile: true },
      { name: 'exports/x1/DE.xml', version: 'm1', isFile: false },
      { name: 'exports/x2/DE.xml', uploadId: 'u1', isFile: false },
    ]);

    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input).toEqual({
      Bucket: 'ocs-exports',
      Delete: {
        Objects: [
          { Key: 'exports/x1/PL.xml', VersionId: 'v2' },
          { Key: 'exports/x1/DE.xml', VersionId: 'm1' },
        ],
        Quiet: true,
      },
    });
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'ocs-exports',
      Key: 'exports/x2/DE.xml',
      UploadId: 'u1',
    });

    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'exports/x1/PL.xml', Code: 'AccessDenied' }] });
    await expect(
      store().delete([{ name: 'exports/x1/PL.xml', version: 'v2', isFile: true }]),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('KmsKeyDestroyer', () => {
  beforeEach(() => kms.reset());
  const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd';
  const destroyer = () => new KmsKeyDestroyer(new KMSClient({}), KEY);

  it('schedules the deletion of the statement key with the shortest pending window (7 days)', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY, KeyState: 'Enabled' } });
    kms.on(ScheduleKeyDeletionCommand).resolves({ DeletionDate: new Date('2028-08-08T00:30:00Z') });

    expect(await destroyer().destroy()).toEqual({ deletionDate: '2028-08-08T00:30:00.000Z' });
    expect(KEY_DELETION_PENDING_DAYS).toBe(7);
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)[0]?.args[0].input).toEqual({
      KeyId: KEY,
      PendingWindowInDays: 7,
    });
  });

  it('leaves a key already pending deletion as it is (a resumed run), returning its deletion date', async () => {
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: KEY,
        KeyState: 'PendingDeletion',
        DeletionDate: new Date('2028-08-08T00:30:00Z'),
      },
    });

    expect(await destroyer().destroy()).toEqual({ deletionDate: '2028-08-08T00:30:00.000Z' });
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(0);
  });

  it('turns a KMS failure into the key service being unavailable', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY, KeyState: 'Disabled' } });
    kms
      .on(ScheduleKeyDeletionCommand)
      .rejects(new KMSInvalidStateException({ $metadata: {}, message: 'no' }));

    await expect(destroyer().destroy()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('local files: exports, the statement key, the secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocs-retention-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('FileExportStore lists every export file, deletes them and their empty directories, and nothing outside', async () => {
    const root = join(dir, 'exports');
    for (const file of ['x1/PL.xml', 'x1/manifest.json', 'x2/DE.xml']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), 'data');
    }
    writeFileSync(join(dir, 'outside.txt'), 'keep');
    const store = new FileExportStore(root);

    const listed = await store.list(500);
    expect(listed.map((o) => o.name).sort()).toEqual(['x1/PL.xml', 'x1/manifest.json', 'x2/DE.xml'].sort());
    expect(listed.every((o) => o.isFile)).toBe(true);
    expect(await store.list(2)).toHaveLength(2);
    await store.delete(listed);

    expect(await store.list(500)).toEqual([]);
    expect(existsSync(join(root, 'x1'))).toBe(false);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('keep');
    await expect(store.delete([{ name: '../outside.txt', isFile: true }])).rejects.toThrow(RangeError);
    expect(await new FileExportStore(join(dir, 'none')).list(10)).toEqual([]);
  });

  it('LocalKeyProvider.destroy leaves a tombstone: the key is gone, never created again, refused in memory too', async () => {
    const path = join(dir, 'keys', 'local-master.key');
    const keys = LocalKeyProvider.open(path);
    const context = { initiative: 'clean-rivers', purpose: 'statement-data' };
    const dataKey = await keys.generateDataKey(context);

    expect(LocalKeyProvider.destroy(path, new Date('2028-08-01T00:30:00Z'))).toBe('2028-08-01T00:30:00.000Z');

    expect(existsSync(path)).toBe(false);
    expect(localKeyDestroyedAt(path)).toBe('2028-08-01T00:30:00.000Z');
    expect(() => LocalKeyProvider.open(path)).toThrow(LocalKeyDestroyedError);
    expect(existsSync(path)).toBe(false);
    await expect(keys.decrypt(dataKey.ciphertext, context)).rejects.toBeInstanceOf(LocalKeyDestroyedError);
    // Again: idempotent, the first date stays.
    expect(LocalKeyProvider.destroy(path, new Date('2028-08-02T00:30:00Z'))).toBe('2028-08-01T00:30:00.000Z');
  });

  it("moves an earlier version's secrets and organiser file from the master key to the secrets key, once", async () => {
    const paths = localPaths(dir);
    const master = LocalKeyProvider.open(paths.masterKey);
    const dedup = new Uint8Array(32).fill(7);
    const organisers = new TextEncoder().encode('{"version":1,"organisers":[]}');
    writeFileSync(paths.dedupSecret, master.wrap(dedup, { purpose: 'local-secret', secret: 'dedup' }));
    mkdirSync(join(organiserFilePath(dir), '..'), { recursive: true });
    writeFileSync(organiserFilePath(dir), master.wrap(organisers, { purpose: 'local-organisers' }));

    expect(migrateLocalSecrets(dir)).toBe(2);
    expect(migrateLocalSecrets(dir)).toBe(0);

    const secrets = LocalKeyProvider.open(paths.secretsKey);
    expect(secrets.unwrap(readFileSync(organiserFilePath(dir)), { purpose: 'local-organisers' })).toEqual(
      organisers,
    );
    // Destroying the statement key now leaves the secrets readable.
    const config = { runtime: 'local', dataDir: dir } as Config;
    await new LocalKeyDestroyer(dir).destroy(new Date('2028-08-01T00:30:00Z'));
    expect(await makeDedupSecret(config).load()).toEqual(dedup);
    expect(existsSync(paths.masterKey)).toBe(false);
  });

  it('the local key destroyer moves what is left under the master key before it deletes it', async () => {
    const paths = localPaths(dir);
    const master = LocalKeyProvider.open(paths.masterKey);
    const challenge = new Uint8Array(32).fill(9);
    writeFileSync(
      paths.challengeSecret,
      master.wrap(challenge, { purpose: 'local-secret', secret: 'challenge' }),
    );

    const { deletionDate } = await new LocalKeyDestroyer(dir).destroy(new Date('2028-08-01T00:30:00Z'));

    expect(deletionDate).toBe('2028-08-01T00:30:00.000Z');
    expect(
      LocalKeyProvider.open(paths.secretsKey).unwrap(readFileSync(paths.challengeSecret), {
        purpose: 'local-secret',
        secret: 'challenge',
      }),
    ).toEqual(challenge);
  });
});
