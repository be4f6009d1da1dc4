import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand, ThrottlingException } from '@aws-sdk/client-dynamodb';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { DynamoStatementSource } from '@ocs/functions/adapters/dynamo-statement-source.adapter';
import { FileExportSink } from '@ocs/functions/adapters/file-export-sink.adapter';
import { S3ExportSink } from '@ocs/functions/adapters/s3-export-sink.adapter';
import { SCAN_ATTRIBUTES } from '@ocs/functions/adapters/table-keys';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { ExportFailedError, type SealedStatement } from '@ocs/shared/export';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ddb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  pk: { S: `S#hash${n}` },
  statementId: { S: `00000000-0000-4000-8000-00000000000${n}` },
  country: { S: 'DE' },
  submittedAt: { S: '2026-11-02T10:00:00.000Z' },
  annexRevision: { N: '1' },
  dk: { S: 'key-1' },
  ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
  iv: { B: new Uint8Array(12) },
  ct: { B: new Uint8Array([1, 2, 3]) },
  ...extra,
});

async function all(source: DynamoStatementSource, segment = 0, total = 1) {
  const pages: SealedStatement[][] = [];
  for await (const page of source.scan(segment, total)) pages.push([...page]);
  return pages;
}

describe('DynamoStatementSource', () => {
  beforeEach(() => ddb.reset());

  it('scans one segment page by page, strongly consistent, statement items only', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [item(1), item(2)], LastEvaluatedKey: { pk: { S: 'S#hash2' }, sk: { S: 'S' } } })
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: { S: 'S#x' }, sk: { S: 'S' } } })
      .resolvesOnce({ Items: [item(3, { mode: { S: 'test' } })] });
    const pages = await all(
      new DynamoStatementSource(new DynamoDBClient({}), 'ocs-test', { pageSize: 500 }),
      2,
      4,
    );
    expect(pages.map((p) => p.map((s) => [s.statementId.slice(-1), s.mode]))).toEqual([
      [
        ['1', 'live'],
        ['2', 'live'],
      ],
      [['3', 'test']],
    ]);
    expect(pages[0]?.[0]).toEqual({
      statementId: '00000000-0000-4000-8000-000000000001',
      country: 'DE',
      submittedAt: '2026-11-02T10:00:00.000Z',
      annexRevision: 1,
      mode: 'live',
      personalData: {
        dataKeyRef: 'key-1',
        context: { initiative: 'clean-rivers', purpose: 'statement-data' },
        iv: new Uint8Array(12),
        ciphertext: new Uint8Array([1, 2, 3]),
      },
    });
    const inputs = ddb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({
      TableName: 'ocs-test',
      Segment: 2,
      TotalSegments: 4,
      ConsistentRead: true,
      Limit: 500,
      FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
      ExpressionAttributeValues: { ':prefix': { S: 'S#' }, ':sk': { S: 'S' } },
    });
    // The projection names exactly the attributes the export role may Scan (IAM dynamodb:Attributes).
    const names = inputs[0]?.ExpressionAttributeNames ?? {};
    const projected = (inputs[0]?.ProjectionExpression ?? '').split(', ').map((n) => names[n]);
    expect(projected).toContain('mode');
    expect(projected.sort()).toEqual([...SCAN_ATTRIBUTES.statements].sort());
    expect(inputs[1]?.ExclusiveStartKey).toEqual({ pk: { S: 'S#hash2' }, sk: { S: 'S' } });
  });

  it.each([
    ['a missing ciphertext', { ct: undefined }],
    ['an unknown mode', { mode: { S: 'demo' } }],
    ['a context value that is not a string', { ctx: { M: { initiative: { N: '1' } } } }],
  ])('fails the export on %s', async (_, extra) => {
    ddb.on(ScanCommand).resolves({ Items: [item(1, extra)] });
    await expect(all(new DynamoStatementSource(new DynamoDBClient({}), 'ocs-test'))).rejects.toThrow(
      ExportFailedError,
    );
  });

  it('turns a DynamoDB failure into DependencyUnavailableError', async () => {
    ddb.on(ScanCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    await expect(all(new DynamoStatementSource(new DynamoDBClient({}), 'ocs-test'))).rejects.toThrow(
      DependencyUnavailableError,
    );
  });
});

describe('FileExportSink', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ocs-sink-test-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes a file under its export, visible under its name only once closed, owner-only', async () => {
    const sink = new FileExportSink(root);
    const writer = await sink.create('exp-1', 'DE.xml');
    for (let i = 0; i < 200; i++) await writer.write(Buffer.alloc(64 * 1024, i % 256));
    expect(existsSync(join(root, 'exp-1', 'DE.xml'))).toBe(false);
    await writer.close();
    const bytes = readFileSync(join(root, 'exp-1', 'DE.xml'));
    expect(bytes.length).toBe(200 * 64 * 1024);
    expect(bytes[64 * 1024]).toBe(1);
    expect(statSync(join(root, 'exp-1', 'DE.xml')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'exp-1')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(root, 'exp-1'))).toEqual(['DE.xml']);
  });

  it('leaves nothing behind on abort or discard', async () => {
    const sink = new FileExportSink(root);
    const done = await sink.create('exp-2', 'manifest.json');
    await done.write(Buffer.from('{}'));
    await done.close();
    const half = await sink.create('exp-2', 'PL.xml');
    await half.write(Buffer.from('<supportForm>'));
    await half.abort();
    expect(readdirSync(join(root, 'exp-2'))).toEqual(['manifest.json']);
    await sink.discard('exp-2');
    expect(existsSync(join(root, 'exp-2'))).toBe(false);
  });

  it('refuses names that would leave its directory', async () => {
    const sink = new FileExportSink(root);
    await expect(sink.create('../etc', 'DE.xml')).rejects.toThrow(RangeError);
    await expect(sink.create('exp', '../DE.xml')).rejects.toThrow(RangeError);
    await expect(sink.create('exp', 'a/b')).rejects.toThrow(RangeError);
  });

  it('reports a write failure', async () => {
    const sink = new FileExportSink(join(root, 'missing'));
    const writer = await sink.create('exp', 'DE.xml');
    rmSync(join(root, 'missing'), { recursive: true });
    await expect(
      (async () => {
        for (let i = 0; i < 10; i++) await writer.write(Buffer.alloc(1024 * 1024));
        await writer.close();
      })(),
    ).rejects.toThrow();
  });
});

describe('S3ExportSink', () => {
  beforeEach(() => s3.reset());

  it('streams a large file as a multipart upload with bounded parts, encrypted with the given key', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({
      ETag: `"etag-${input.PartNumber}"`,
    }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const sink = new S3ExportSink(new S3Client({ region: 'eu-central-1' }), {
      bucket: 'exports-bucket',
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
      kmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/exports',
    });
    const writer = await sink.create('exp-1', 'DE.xml', 'application/xml');
    for (let i = 0; i < 12; i++) await writer.write(Buffer.alloc(1024 * 1024, i));
    await writer.close();

    const create = s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input;
    expect(create).toMatchObject({
      Bucket: 'exports-bucket',
      Key: 'exports/exp-1/DE.xml',
      ContentType: 'application/xml',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/exports',
    });
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    expect(
      s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input.MultipartUpload?.Parts,
    ).toHaveLength(3);
  });

  it('puts a small file in one request', async () => {
    s3.on(PutObjectCommand).resolves({});
    const sink = new S3ExportSink(new S3Client({ region: 'eu-central-1' }), { bucket: 'b', prefix: 'x/' });
    const writer = await sink.create('exp-1', 'manifest.json', 'application/json');
    await writer.write(Buffer.from('{"files":[]}'));
    await writer.close();
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      Key: 'x/exp-1/manifest.json',
      ContentType: 'application/json',
    });
  });

  it('fails the writer when an upload fails, and aborts cleanly', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
    s3.on(UploadPartCommand).rejects(new Error('network down'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    const sink = new S3ExportSink(new S3Client({ region: 'eu-central-1' }), {
      bucket: 'b',
      partSize: 5 * 1024 * 1024,
    });
    const writer = await sink.create('exp-1', 'DE.xml', 'application/xml');
    await expect(
      (async () => {
        for (let i = 0; i < 30; i++) await writer.write(Buffer.alloc(1024 * 1024));
        await writer.close();
      })(),
    ).rejects.toThrow('network down');
    await writer.abort();
  });

  it('discards every object of an export, page by page', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'exports/e/DE.xml' }],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'exports/e/manifest.json' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    await new S3ExportSink(new S3Client({ region: 'eu-central-1' }), { bucket: 'b' }).discard('e');
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'b', Prefix: 'exports/e/', ContinuationToken: undefined },
      { Bucket: 'b', Prefix: 'exports/e/', ContinuationToken: 't' },
    ]);
    expect(s3.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete?.Objects)).toEqual([
      { Key: 'exports/e/DE.xml' },
      { Key: 'exports/e/manifest.json' },
    ]);
  });
});
