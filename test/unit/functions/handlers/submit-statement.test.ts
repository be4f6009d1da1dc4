import {
  type AttributeValue,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type PutItemCommandInput,
  ThrottlingException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GenerateDataKeyCommand, KMSServiceException } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { brusselsDate } from '@ocs/shared/initiative';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { solve } from '../../../support/altcha';
import { apiEvent, captureOutput, invoke, postStatement } from '../../../support/lambda';
import { partBBody } from '../support/data';
import { AWS_ENV, coldStartInAws, ddb, kms, secretFor, sm } from './aws-env';

async function handlers() {
  const submit = await import('@ocs/functions/handlers/submit-statement');
  const challenge = await import('@ocs/functions/handlers/get-challenge');
  return { submit: submit.handler, challenge: challenge.handler };
}

/** GET /api/challenge, solved as the widget does. */
async function solvedChallenge(challenge: Awaited<ReturnType<typeof handlers>>['challenge']) {
  const res = await invoke(challenge, apiEvent('get-challenge'));
  expect(res.statusCode).toBe(200);
  return solve(res.json() as unknown as Parameters<typeof solve>[0]);
}

/** A new cold start whose table also keeps the duplicate answers (`D#` items) it is given. */
function keepDuplicateAnswers() {
  const { statements } = coldStartInAws();
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    const pk = input.Item?.pk?.S ?? '';
    if (pk.startsWith('D#')) statements.set(pk, input.Item as Record<string, AttributeValue>);
    return {};
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /api/statements handler (AWS runtime, mocked SDK clients)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    coldStartInAws();
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('stores a valid Part B statement in exactly one transaction and answers 201 with a receipt', async () => {
    const { submit, challenge } = await handlers();
    const altcha = await solvedChallenge(challenge);

    const res = await invoke(submit, postStatement(partBBody({ altcha })));

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ receipt: expect.stringMatching(UUID), submittedAt: expect.any(String) });
    const transactions = ddb.commandCalls(TransactWriteItemsCommand);
    expect(transactions).toHaveLength(1);
    const items = transactions[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put?.TableName).toBe(AWS_ENV.OCS_TABLE_NAME);
    expect(items[0]?.Put?.Item?.statementId?.S).toBe(res.json().receipt);
    expect(items[1]?.Update?.Key?.pk?.S).toMatch(/^C#\d+$/);
    expect(items[1]?.Update?.Key?.sk?.S).toBe(brusselsDate(new Date()));
    expect(items[1]?.Update?.ExpressionAttributeNames).toEqual({ '#cc': 'PL' });
  });

  it('stores a test statement (T#, CT#) with the test-mode check while the initiative is in test mode', async () => {
    coldStartInAws(undefined, 'test');
    const { submit, challenge } = await handlers();

    const res = await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    expect(res.statusCode).toBe(201);
    const items = ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item?.pk?.S).toMatch(/^T#/);
    expect(items[1]?.Update?.Key?.pk?.S).toMatch(/^CT#/);
    expect(items.at(-1)?.ConditionCheck?.Key?.pk?.S).toBe('INITIATIVE');
  });

  it('asks KMS for a data key under the statement context, once', async () => {
    const { submit, challenge } = await handlers();

    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    const calls = kms.commandCalls(GenerateDataKeyCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      KeyId: AWS_ENV.OCS_DATA_KEY_ID,
      KeySpec: 'AES_256',
      EncryptionContext: { initiative: 'clean-rivers', purpose: 'statement-data' },
    });
  });

  it('claims the challenge and stores the data key before the transaction', async () => {
    const { submit, challenge } = await handlers();

    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    const order = ddb
      .calls()
      .map((c) => {
        const input = c.args[0].input as { Item?: { pk?: { S?: string } }; TransactItems?: unknown };
        return input.TransactItems ? 'transaction' : (input.Item?.pk?.S?.slice(0, 2) ?? 'read');
      })
      .filter((kind) => kind !== 'read');
    expect(order).toEqual(['A#', 'K#', 'transaction']);
  });

  it('sends no plaintext personal data to DynamoDB', async () => {
    const { submit, challenge } = await handlers();

    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    for (const call of ddb.calls()) {
      const text = JSON.stringify(call.args[0].input, (_, v) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      expect(text).not.toMatch(/Zofia|Kowalska|44051401359/);
    }
  });

  it('logs no personal data on the way', async () => {
    const { submit, challenge } = await handlers();

    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    expect(output.text()).toContain('"status":201');
    expect(output.text()).not.toMatch(/Zofia|Kowalska|44051401359/);
  });

  it('never logs the event, even when the environment asks Powertools to (and at DEBUG level)', async () => {
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const { submit, challenge } = await handlers();

    const res = await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    expect(res.statusCode).toBe(201);
    expect(output.text()).toContain('"status":201');
    expect(output.text()).not.toMatch(/Zofia|Kowalska|44051401359|altcha/);
  });

  it('answers 200 with the same receipt for a retry of the same submission', async () => {
    const { submit, challenge } = await handlers();
    const body = partBBody({ altcha: await solvedChallenge(challenge) });
    const first = await invoke(submit, postStatement(body));

    const retry = await invoke(submit, postStatement(body));

    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('answers a duplicate like an acceptance (201, same shape), stores nothing, and logs it alike', async () => {
    keepDuplicateAnswers();
    const { submit, challenge } = await handlers();
    const first = await invoke(
      submit,
      postStatement(partBBody({ altcha: await solvedChallenge(challenge) })),
    );
    const acceptedLog = output.lines();

    const duplicate = await invoke(
      submit,
      postStatement(
        partBBody({
          altcha: await solvedChallenge(challenge),
          submissionId: '0b7d5c52-2f7e-4c55-8e6a-7d1f3c2b9a10',
        }),
      ),
    );

    expect(first.statusCode).toBe(201);
    expect(duplicate.statusCode).toBe(201);
    expect(duplicate.headers).toEqual(first.headers);
    expect(Object.keys(duplicate.json())).toEqual(Object.keys(first.json()));
    expect(duplicate.json().receipt).toMatch(UUID);
    expect(duplicate.json().receipt).not.toBe(first.json().receipt);
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    const requestLine = (lines: string[]) => {
      const line = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.message === 'request' && l.route === 'POST /api/statements');
      const { timestamp: _t, durationMs: _d, ...rest } = line ?? {};
      return rest;
    };
    const duplicateLog = output.lines().slice(acceptedLog.length);
    expect(requestLine(acceptedLog)).toMatchObject({ status: 201 });
    expect(requestLine(duplicateLog)).toEqual(requestLine(acceptedLog));
    expect(duplicateLog).toHaveLength(acceptedLog.length);
    expect(output.text()).not.toMatch(/duplicate|already/i);
  });

  it('answers a retry of a duplicate 200 with the first answer', async () => {
    keepDuplicateAnswers();
    const { submit, challenge } = await handlers();
    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));
    const body = partBBody({
      altcha: await solvedChallenge(challenge),
      submissionId: '0b7d5c52-2f7e-4c55-8e6a-7d1f3c2b9a10',
    });
    const duplicate = await invoke(submit, postStatement(body));

    const retry = await invoke(submit, postStatement(body));

    expect(duplicate.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(duplicate.json());
    expect(ddb.commandCalls(GetItemCommand).some((c) => c.args[0].input.Key?.pk?.S?.startsWith('D#'))).toBe(
      true,
    );
  });

  it('answers 503 with retry-after when KMS fails, and sends no transaction', async () => {
    kms.on(GenerateDataKeyCommand).rejects(
      new KMSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    const { submit, challenge } = await handlers();

    const res = await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ $metadata: {}, message: 'throttled' })],
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ $metadata: {}, message: 'exceeded' }),
    ],
  ])('answers 503 when the transaction is refused with %s: nothing counted', async (_, failure) => {
    ddb.on(TransactWriteItemsCommand).rejects(failure);
    const { submit, challenge } = await handlers();

    const res = await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    const transactions = ddb.commandCalls(TransactWriteItemsCommand);
    expect(transactions).toHaveLength(1);
    await expect(transactions[0]?.returnValue).rejects.toBe(failure);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('answers 503 when Secrets Manager fails on first use, then succeeds on the next call', async () => {
    const { submit, challenge } = await handlers();
    const altcha = await solvedChallenge(challenge);
    sm.reset();
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ $metadata: {}, message: 'internal' }))
      .callsFake(secretFor);

    const first = await invoke(submit, postStatement(partBBody({ altcha })));
    const second = await invoke(submit, postStatement(partBBody({ altcha })));

    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(second.statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('loads each secret once per cold start', async () => {
    const { submit, challenge } = await handlers();

    await invoke(submit, postStatement(partBBody({ altcha: await solvedChallenge(challenge) })));
    await invoke(
      submit,
      postStatement(
        partBBody({
          altcha: await solvedChallenge(challenge),
          submissionId: '0b7d5c52-2f7e-4c55-8e6a-7d1f3c2b9a10',
        }),
      ),
    );

    const ids = sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId);
    expect(ids.sort()).toEqual(
      [AWS_ENV.OCS_CHALLENGE_SECRET_ID, AWS_ENV.OCS_CHALLENGE_SECRET_ID, AWS_ENV.OCS_DEDUP_SECRET_ID].sort(),
    );
  });

  it('answers 403 for a challenge signed under another secret', async () => {
    const { challenge } = await handlers();
    const altcha = await solvedChallenge(challenge);
    coldStartInAws();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'z'.repeat(64) });
    const { submit } = await handlers();

    const res = await invoke(submit, postStatement(partBBody({ altcha })));

    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'challenge_failed' } });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(0);
  });

  it('answers 422 with every field error, before any challenge or key work', async () => {
    const { submit } = await handlers();

    const res = await invoke(
      submit,
      postStatement(partBBody({ documentNumber: '44051401358', familyNames: '' })),
    );

    expect(res.statusCode).toBe(422);
    expect((res.json().errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'documentNumber',
      'familyNames',
    ]);
    expect(ddb.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  it('answers 415 for text/plain', async () => {
    const { submit } = await handlers();

    const res = await invoke(submit, postStatement(partBBody(), { 'content-type': 'text/plain' }));

    expect(res.statusCode).toBe(415);
  });
});
