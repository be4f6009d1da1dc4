import { createSecretKey, randomBytes } from 'node:crypto';
import {
  PutItemCommand,
  ScanCommand,
  type ScanCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { gcmSeal } from '@ocs/functions/crypto/aes-gcm';
import { emailAad, encodeJson, statementAad } from '@ocs/functions/use-cases/personal-data';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSupportForm } from '../../../support/export-xml';
import { captureOutput } from '../../../support/lambda';
import { coldStartInAws, ddb, kms } from '../handlers/aws-env';

const s3 = mockClient(S3Client);
const load = async () => (await import('@ocs/functions/export/run-export-handler')).handler;
const CONTEXT = { initiative: 'clean-rivers', purpose: 'statement-data' };
const ID = '00000000-0000-4000-8000-0000000000aa';
const JOB = '20261202T090000000Z-00112233445566ff';
const lambdaContext = { getRemainingTimeInMillis: () => 900_000 };

/** The export job in the mocked table, approved by a second organiser. */
function approvedJob(id: string, state = 'approved', kind = 'statements') {
  return {
    pk: { S: 'X' },
    sk: { S: id },
    ...marshall({
      id,
      kind,
      countries: kind === 'statements' ? 'all' : null,
      state,
      requestedBy: { sub: 'sub-a', email: 'a@example.org' },
      requestedAt: '2026-12-02T08:00:00.000Z',
      approvedBy: { sub: 'sub-b', email: 'b@example.org' },
      approvedAt: '2026-12-02T08:30:00.000Z',
    }),
  };
}

/** The job fields each conditional update of the job set (`#f0 = :v0, ...`), in order. */
function jobUpdates() {
  return ddb.commandCalls(UpdateItemCommand).map((c) => {
    const input = c.args[0].input as UpdateItemCommandInput;
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    return Object.fromEntries(
      Object.entries(names)
        .filter(([k]) => k.startsWith('#f'))
        .map(([k, field]) => [field, values[`:v${k.slice(2)}`]]),
    );
  });
}

/** One Polish statement in the mocked table, sealed under a data key that KMS "unwraps". */
function tableWithOneStatement(tamper = false, jobState = 'approved') {
  const { statements } = coldStartInAws();
  statements.set('X', approvedJob(JOB, jobState));
  ddb.on(UpdateItemCommand).resolves({});
  vi.stubEnv('OCS_EXPORT_BUCKET', 'ocs-exports');
  s3.reset();
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const ciphertext = gcmSeal(
    createSecretKey(key),
    iv,
    encodeJson({
      firstNames: 'Zofia',
      familyNames: 'Handlertestowa',
      documentType: 'personalNumber',
      documentNumber: '44051401359',
    }),
    statementAad('clean-rivers', 'PL', ID),
  );
  if (tamper) ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
  statements.set('K#dk-1', {
    pk: { S: 'K#dk-1' },
    sk: { S: 'K' },
    masterKeyId: { S: 'arn:aws:kms:eu-central-1:123456789012:key/x' },
    edk: { B: new Uint8Array(randomBytes(184)) },
    ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
    createdAt: { S: '2026-11-02T10:00:00.000Z' },
  });
  // Segment 0 of the parallel scan holds the statement; the other segments are empty.
  ddb.on(ScanCommand).callsFake((input: ScanCommandInput) => ({
    Items:
      input.Segment !== 0
        ? []
        : [
            {
              pk: { S: 'S#abc' },
              statementId: { S: ID },
              country: { S: 'PL' },
              submittedAt: { S: '2026-11-02T10:00:00.000Z' },
              annexRevision: { N: '1' },
              dk: { S: 'dk-1' },
              ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
              iv: { B: iv },
              ct: { B: ciphertext },
            },
          ],
  }));
  kms.on(DecryptCommand).callsFake(() => ({ Plaintext: new Uint8Array(key) }));
  s3.on(PutObjectCommand).resolves({});
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(DeleteObjectsCommand).resolves({});
}

describe('export function handler (AWS runtime, mocked SDK clients)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('runs the approved job: exports to the bucket with one KMS Decrypt under the statements’ context, marks it done, logs counts only', async () => {
    tableWithOneStatement();
    const handler = await load();

    const outcome = await handler({ exportId: JOB }, lambdaContext);

    expect(outcome).toEqual({ outcome: 'done' });
    const updates = jobUpdates();
    expect(updates[0]).toMatchObject({ state: { S: 'running' } });
    const done = updates.at(-1);
    expect(done).toMatchObject({
      state: { S: 'done' },
      manifestSha256: { S: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(done?.files?.L?.[0]?.M?.country).toEqual({ S: 'PL' });
    const decrypts = kms.commandCalls(DecryptCommand);
    expect(decrypts).toHaveLength(1);
    expect(decrypts[0]?.args[0].input.EncryptionContext).toEqual(CONTEXT);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).toEqual([
      ['ocs-exports', `exports/${JOB}/PL.xml`, 'application/xml'],
      ['ocs-exports', `exports/${JOB}/manifest.json`, 'application/json'],
    ]);
    const xml = Buffer.from(puts[0]?.Body as Uint8Array).toString('utf8');
    expect(parseSupportForm(xml).signatures[0]?.groups[1]?.properties).toEqual({
      'oct.property.national.id.number': '44051401359',
    });
    // The end of the run is in the audit trail, as the system's.
    const audit = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.pk?.S);
    expect(audit).toContain('L');
    const log = output.text();
    expect(log).toContain('export done');
    expect(log).toContain(JOB);
    for (const secret of ['Zofia', 'Handlertestowa', '44051401359']) expect(log).not.toContain(secret);
  });

  it('refuses a malformed event before touching anything', async () => {
    tableWithOneStatement();
    const handler = await load();
    await expect(handler({ exportId: '../x' })).rejects.toThrow();
    await expect(handler({ exportId: JOB, countries: 'all' })).rejects.toThrow();
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('does nothing for a job that is not approved (a second delivery of the start event, or a job never approved)', async () => {
    tableWithOneStatement(false, 'running');
    const handler = await load();
    expect(await handler({ exportId: JOB }, lambdaContext)).toEqual({
      outcome: 'skipped',
      why: 'not_approved',
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('fails loudly on a tampered statement: the job is failed with the reason, the files discarded, the log has the reason only', async () => {
    tableWithOneStatement(true);
    const handler = await load();
    expect(await handler({ exportId: JOB }, lambdaContext)).toEqual({
      outcome: 'failed',
      reason: 'decryption_failed',
    });
    expect(jobUpdates().at(-1)).toMatchObject({
      state: { S: 'failed' },
      failure: { S: 'decryption_failed' },
    });
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.Prefix).toBe(`exports/${JOB}/`);
    const log = output.text();
    expect(log).toContain('export failed');
    expect(log).toContain('decryption_failed');
    for (const secret of ['Zofia', 'Handlertestowa', '44051401359', ID]) expect(log).not.toContain(secret);
  });

  it('opens e-mail items with the e-mails’ context only and writes emails.csv to the bucket', async () => {
    const { statements } = coldStartInAws();
    vi.stubEnv('OCS_EXPORT_BUCKET', 'ocs-exports');
    s3.reset();
    statements.set('X', approvedJob(JOB, 'approved', 'emails'));
    ddb.on(UpdateItemCommand).resolves({});
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const emailContext = { initiative: { S: 'clean-rivers' }, purpose: { S: 'email-data' } };
    statements.set('K#dk-9', {
      pk: { S: 'K#dk-9' },
      sk: { S: 'K' },
      masterKeyId: { S: 'arn:aws:kms:eu-central-1:123456789012:key/x' },
      edk: { B: new Uint8Array(randomBytes(184)) },
      ctx: { M: emailContext },
      createdAt: { S: '2026-11-02T10:00:00.000Z' },
    });
    ddb.on(ScanCommand).callsFake((input: ScanCommandInput) => ({
      Items:
        input.Segment !== 0
          ? []
          : [
              {
                pk: { S: `E#${ID}` },
                sk: { S: 'E' },
                dk: { S: 'dk-9' },
                ctx: { M: emailContext },
                iv: { B: iv },
                ct: {
                  B: gcmSeal(
                    createSecretKey(key),
                    iv,
                    encodeJson({ email: 'zofia.handlertest@example.org' }),
                    emailAad('clean-rivers', ID),
                  ),
                },
                expiresAt: { N: '4102444800' },
              },
            ],
    }));
    kms.on(DecryptCommand).callsFake(() => ({ Plaintext: new Uint8Array(key) }));
    s3.on(PutObjectCommand).resolves({});
    const handler = (await import('@ocs/functions/export/run-email-export-handler')).handler;

    expect(await handler({ exportId: JOB }, lambdaContext)).toEqual({ outcome: 'done' });

    expect(kms.commandCalls(DecryptCommand).map((c) => c.args[0].input.EncryptionContext)).toEqual([
      { initiative: 'clean-rivers', purpose: 'email-data' },
    ]);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect([put?.Key, put?.ContentType]).toEqual([`exports/${JOB}/emails.csv`, 'text/csv; charset=utf-8']);
    expect(Buffer.from(put?.Body as Uint8Array).toString('utf8')).toBe(
      'email\r\nzofia.handlertest@example.org\r\n',
    );
    expect(jobUpdates().at(-1)).toMatchObject({
      state: { S: 'done' },
      emails: { M: { addresses: { N: '1' } } },
    });
    expect(output.text()).not.toContain('zofia.handlertest');
  });
});
