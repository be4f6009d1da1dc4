import { createSecretKey, randomBytes } from 'node:crypto';
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { gcmSeal } from '@ocs/functions/crypto/aes-gcm';
import { encodeJson, statementAad } from '@ocs/functions/use-cases/personal-data';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSupportForm } from '../../../support/export-xml';
import { captureOutput } from '../../../support/lambda';
import { coldStartInAws, ddb, kms } from '../handlers/aws-env';

const s3 = mockClient(S3Client);
const load = async () => (await import('@ocs/functions/export/run-export-handler')).handler;
const CONTEXT = { initiative: 'clean-rivers', purpose: 'statement-data' };
const ID = '00000000-0000-4000-8000-0000000000aa';

/** One Polish statement in the mocked table, sealed under a data key that KMS "unwraps". */
function tableWithOneStatement(tamper = false) {
  const { statements } = coldStartInAws();
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

  it('exports to the bucket, with one KMS Decrypt under the statements’ context, logging counts only', async () => {
    tableWithOneStatement();
    const handler = await load();

    const result = await handler({ exportId: 'exp-42', countries: 'all' });

    expect(result.files).toEqual([
      {
        country: 'PL',
        statements: 1,
        bytes: expect.any(Number),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    const decrypts = kms.commandCalls(DecryptCommand);
    expect(decrypts).toHaveLength(1);
    expect(decrypts[0]?.args[0].input.EncryptionContext).toEqual(CONTEXT);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).toEqual([
      ['ocs-exports', 'exports/exp-42/PL.xml', 'application/xml'],
      ['ocs-exports', 'exports/exp-42/manifest.json', 'application/json'],
    ]);
    const xml = Buffer.from(puts[0]?.Body as Uint8Array).toString('utf8');
    expect(parseSupportForm(xml).signatures[0]?.groups[1]?.properties).toEqual({
      'oct.property.national.id.number': '44051401359',
    });
    const log = output.text();
    expect(log).toContain('export done');
    expect(log).toContain('exp-42');
    for (const secret of ['Zofia', 'Handlertestowa', '44051401359']) expect(log).not.toContain(secret);
  });

  it('refuses a malformed event before touching anything', async () => {
    tableWithOneStatement();
    const handler = await load();
    await expect(handler({ exportId: '../x', countries: 'all' })).rejects.toThrow();
    await expect(handler({ exportId: 'e', countries: ['XX'] })).rejects.toThrow();
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('fails loudly on a tampered statement, discards the export and logs only the reason', async () => {
    tableWithOneStatement(true);
    const handler = await load();
    await expect(handler({ exportId: 'exp-43', countries: ['PL'] })).rejects.toMatchObject({
      reason: 'decryption_failed',
    });
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.Prefix).toBe('exports/exp-43/');
    const log = output.text();
    expect(log).toContain('export failed');
    expect(log).toContain('decryption_failed');
    for (const secret of ['Zofia', 'Handlertestowa', '44051401359', ID]) expect(log).not.toContain(secret);
  });
});
