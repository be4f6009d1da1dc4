import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoEmailSource } from '@ocs/functions/adapters/dynamo-email-source.adapter';
import { DynamoExportJobStore } from '@ocs/functions/adapters/dynamo-export-job-store.adapter';
import { LambdaExportLauncher } from '@ocs/functions/adapters/lambda-export-launcher.adapter';
import { LocalDownloadLinks } from '@ocs/functions/adapters/local-download-links.adapter';
import { S3DownloadLinks } from '@ocs/functions/adapters/s3-download-links.adapter';
import { SCAN_ATTRIBUTES } from '@ocs/functions/adapters/table-keys';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { ExportFailedError } from '@ocs/shared/export';
import type { ExportJob } from '@ocs/shared/export-job';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';

const ddb = mockClient(DynamoDBClient);
const lambda = mockClient(LambdaClient);
const ID = '20261202T090000000Z-00112233445566ff';
const JOB: ExportJob = {
  id: ID,
  kind: 'statements',
  countries: ['DE', 'EL'],
  state: 'requested',
  requestedBy: { sub: 'sub-a', email: 'a@example.org' },
  requestedAt: '2026-12-02T09:00:00.000Z',
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

describe('DynamoExportJobStore', () => {
  const store = () => new DynamoExportJobStore(new DynamoDBClient({}), 'ocs-test');
  beforeEach(() => ddb.reset());
  const update = () => ddb.commandCalls(UpdateItemCommand)[0]?.args[0].input as UpdateItemCommandInput;

  it('creates a job under X / its id, only if the id is new', async () => {
    ddb.on(PutItemCommand).resolves({});
    await store().create(JOB);
    const put = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.Item?.pk).toEqual({ S: 'X' });
    expect(put?.Item?.sk).toEqual({ S: ID });
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    ddb.on(PutItemCommand).rejects(conditionFailed());
    await expect(store().create(JOB)).rejects.toThrow(/exists/);
  });

  it('reads a job back as it was stored (strongly consistent), and lists newest first over pages', async () => {
    const item = { pk: { S: 'X' }, sk: { S: ID }, ...marshall(JOB) };
    ddb.on(GetItemCommand).resolves({ Item: item });
    expect(await store().get(ID)).toEqual(JOB);
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { pk: { S: 'X' }, sk: { S: ID } } })
      .resolvesOnce({ Items: [{ ...item, ...marshall({ id: 'older' }), sk: { S: 'older' } }] });
    expect((await store().list()).map((j) => j.id)).toEqual([ID, 'older']);
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': { S: 'X' } },
    });
  });

  it('approves only from requested and only by another organiser, in the condition of the write', async () => {
    ddb.on(UpdateItemCommand).resolves({});
    expect(
      await store().approve(ID, { sub: 'sub-b', email: 'b@example.org' }, '2026-12-02T09:01:00.000Z'),
    ).toBe(true);
    const input = update();
    expect(input.ConditionExpression).toBe(
      'attribute_exists(pk) AND #state = :from AND requestedBy.#sub <> :approverSub',
    );
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':from': { S: 'requested' },
      ':approverSub': { S: 'sub-b' },
    });
    expect(input.UpdateExpression).toBe('SET #f0 = :v0, #f1 = :v1, #f2 = :v2');
    expect(input.ExpressionAttributeNames).toMatchObject({
      '#f0': 'state',
      '#f1': 'approvedBy',
      '#f2': 'approvedAt',
    });
  });

  it('answers false when the condition fails (another writer was first), and 503 on other errors', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed());
    expect(await store().start(ID, '2026-12-02T09:01:00.000Z')).toBe(false);
    ddb.on(UpdateItemCommand).rejects(new Error('network'));
    await expect(
      store().heartbeat(ID, { phase: 'reading', read: 1, written: 0 }, 'x'),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('gives up a run only if it is still in the states named and its heartbeat is still the one seen', async () => {
    ddb.on(UpdateItemCommand).resolves({});
    await store().fail(ID, ['running'], 'interrupted', '2026-12-02T09:10:00.000Z', {
      heartbeatAt: '2026-12-02T09:05:00.000Z',
    });
    expect(update().ConditionExpression).toBe(
      'attribute_exists(pk) AND #state IN (:from0) AND heartbeatAt = :heartbeat',
    );
    expect(update().ExpressionAttributeValues).toMatchObject({
      ':from0': { S: 'running' },
      ':heartbeat': { S: '2026-12-02T09:05:00.000Z' },
      ':v1': { S: 'interrupted' },
    });
  });

  it('completes with the result’s files and hash, only from running', async () => {
    ddb.on(UpdateItemCommand).resolves({});
    await store().complete(
      ID,
      {
        files: [{ country: 'DE', statements: 2, bytes: 9, sha256: 'a'.repeat(64) }],
        manifestSha256: 'b'.repeat(64),
      },
      '2026-12-02T09:10:00.000Z',
    );
    const names = Object.values(update().ExpressionAttributeNames ?? {});
    expect(names).toEqual(['state', 'state', 'finishedAt', 'files', 'manifestSha256']);
    expect(update().ExpressionAttributeValues?.[':from']).toEqual({ S: 'running' });
  });
});

describe('DynamoEmailSource', () => {
  beforeEach(() => ddb.reset());

  it('scans e-mail items only, projecting exactly the attributes the e-mail export role may Scan', async () => {
    ddb.on(ScanCommand).resolves({
      Items: [
        {
          pk: { S: 'E#11111111-1111-4111-8111-111111111111' },
          sk: { S: 'E' },
          dk: { S: 'dk-1' },
          ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'email-data' } } },
          iv: { B: new Uint8Array(12) },
          ct: { B: new Uint8Array([1, 2]) },
          expiresAt: { N: '1900000000' },
        },
      ],
    });
    const pages: unknown[] = [];
    for await (const page of new DynamoEmailSource(new DynamoDBClient({}), 'ocs-test').scan(1, 4))
      pages.push(...page);
    expect(pages).toEqual([
      {
        statementId: '11111111-1111-4111-8111-111111111111',
        mode: 'live',
        expiresAtEpochSeconds: 1_900_000_000,
        sealed: {
          dataKeyRef: 'dk-1',
          context: { initiative: 'clean-rivers', purpose: 'email-data' },
          iv: new Uint8Array(12),
          ciphertext: new Uint8Array([1, 2]),
        },
      },
    ]);
    const input = ddb.commandCalls(ScanCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Segment: 1,
      TotalSegments: 4,
      ConsistentRead: true,
      ExpressionAttributeValues: { ':prefix': { S: 'E#' }, ':sk': { S: 'E' } },
    });
    const names = input?.ExpressionAttributeNames ?? {};
    const projected = (input?.ProjectionExpression ?? '').split(', ').map((n) => names[n]);
    expect(projected.sort()).toEqual([...SCAN_ATTRIBUTES.emails].sort());
  });

  it('fails the export on an item without its expiry', async () => {
    ddb.on(ScanCommand).resolves({ Items: [{ pk: { S: 'E#x' }, sk: { S: 'E' } }] });
    const read = async () => {
      for await (const _ of new DynamoEmailSource(new DynamoDBClient({}), 'ocs-test').scan(0, 1)) {
        // drain
      }
    };
    await expect(read()).rejects.toBeInstanceOf(ExportFailedError);
  });
});

describe('LambdaExportLauncher', () => {
  beforeEach(() => lambda.reset());
  const launcher = () =>
    new LambdaExportLauncher(new LambdaClient({ region: 'eu-central-1' }), {
      statements: 'ocs-export-statements',
      emails: 'ocs-export-emails',
    });

  it('starts the function of the job’s kind asynchronously (Event), with the job id only', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await launcher().launch({ id: ID, kind: 'statements' });
    await launcher().launch({ id: ID, kind: 'emails' });
    const inputs = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.FunctionName, i.InvocationType])).toEqual([
      ['ocs-export-statements', 'Event'],
      ['ocs-export-emails', 'Event'],
    ]);
    expect(JSON.parse(new TextDecoder().decode(inputs[0]?.Payload as Uint8Array))).toEqual({ exportId: ID });
  });

  it('throws when Lambda does not take the event (the approval then fails the job)', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(launcher().launch({ id: ID, kind: 'statements' })).rejects.toThrow(/status 200/);
    lambda.on(InvokeCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    await expect(launcher().launch({ id: ID, kind: 'statements' })).rejects.toBeInstanceOf(
      TooManyRequestsException,
    );
  });
});

describe('S3DownloadLinks', () => {
  it('presigns a GET of exactly that object for five minutes, with its media type and as an attachment', async () => {
    const clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
    const s3 = new S3Client({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret', sessionToken: 'session' },
    });
    const link = await new S3DownloadLinks(s3, { bucket: 'ocs-exports' }, clock).create(
      { exportId: ID, name: 'DE.xml', contentType: 'application/xml' },
      300,
    );
    const url = new URL(link.url);
    expect(url.origin).toBe('https://ocs-exports.s3.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe(`/exports/${ID}/DE.xml`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261202T090000Z');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session');
    expect(url.searchParams.get('response-content-type')).toBe('application/xml');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="DE.xml"');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.expiresAt).toBe('2026-12-02T09:05:00.000Z');
    await expect(
      new S3DownloadLinks(s3, { bucket: 'ocs-exports' }, clock).create(
        { exportId: '../x', name: 'DE.xml', contentType: 'application/xml' },
        300,
      ),
    ).rejects.toBeInstanceOf(RangeError);
  });
});

describe('LocalDownloadLinks', () => {
  const root = mkdtempSync(join(tmpdir(), 'ocs-links-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  async function world() {
    n += 1;
    const dir = join(root, `links-${n}`);
    const exportsDir = join(root, `exports-${n}`);
    await mkdir(join(exportsDir, ID), { recursive: true });
    writeFileSync(join(exportsDir, ID, 'DE.xml'), '<supportForm/>');
    const clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
    const links = new LocalDownloadLinks({ dir, exportsDir, origin: 'http://localhost:8123' }, clock);
    const file = { exportId: ID, name: 'DE.xml', contentType: 'application/xml' };
    return { dir, exportsDir, clock, links, file };
  }
  const tokenOf = (url: string) => url.split('/').at(-1) ?? '';

  it('issues a link on the local origin with a 256-bit token, keeping only the token’s hash on disk', async () => {
    const { dir, links, file } = await world();
    const link = await links.create(file, 300);
    expect(link.url).toMatch(/^http:\/\/localhost:8123\/local-downloads\/[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toBe('2026-12-02T09:05:00.000Z');
    const token = tokenOf(link.url);
    const [record] = readdirSync(dir);
    expect(record).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(readFileSync(join(dir, record ?? ''), 'utf8')).not.toContain(token);
  });

  it('works once: the file, then gone; an unknown token is not found', async () => {
    const { exportsDir, links, file } = await world();
    const token = tokenOf((await links.create(file, 300)).url);
    expect(await links.redeem(token)).toEqual({
      kind: 'file',
      path: join(exportsDir, ID, 'DE.xml'),
      name: 'DE.xml',
      contentType: 'application/xml',
    });
    expect(await links.redeem(token)).toEqual({ kind: 'gone' });
    expect(await links.redeem('A'.repeat(43))).toEqual({ kind: 'not_found' });
    expect(await links.redeem('../../etc/passwd')).toEqual({ kind: 'not_found' });
  });

  it('serves one of many concurrent uses of one link', async () => {
    const { links, file } = await world();
    const token = tokenOf((await links.create(file, 300)).url);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => links.redeem(token)));
    expect(outcomes.filter((o) => o.kind === 'file')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'gone')).toHaveLength(7);
  });

  it('expires: a link used after its time is gone', async () => {
    const { clock, links, file } = await world();
    const token = tokenOf((await links.create(file, 300)).url);
    clock.advance(300_000);
    expect(await links.redeem(token)).toEqual({ kind: 'gone' });
  });

  it('sweeps records an hour after they expired, and refuses unsafe file references', async () => {
    const { dir, clock, links, file } = await world();
    await links.create(file, 300);
    clock.advance(2 * 3_600_000);
    await links.create(file, 300);
    expect(readdirSync(dir)).toHaveLength(1);
    await expect(links.create({ ...file, name: '../DE.xml' }, 300)).rejects.toBeInstanceOf(RangeError);
  });
});
