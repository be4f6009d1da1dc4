import { randomBytes } from 'node:crypto';
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Initiative, InitiativeMode } from '@ocs/shared/initiative';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { initiativeOpenAt } from '../support/data';

/** The environment CDK gives the functions in AWS (identifiers only, never secrets). */
export const AWS_ENV = {
  OCS_RUNTIME: 'aws',
  OCS_TABLE_NAME: 'ocs-test-table',
  OCS_INITIATIVE_ID: 'clean-rivers',
  OCS_DATA_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  OCS_DEDUP_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/dedup-AbCdEf',
  OCS_CHALLENGE_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/challenge-GhIjKl',
  OCS_CHALLENGE_COST: 'low',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
} as const;

export const ddb = mockClient(DynamoDBClient);
export const kms = mockClient(KMSClient);
export const sm = mockClient(SecretsManagerClient);

/** 64-character secrets, distinct per secret id, as Secrets Manager generates them. */
export const secretFor = (input: GetSecretValueCommandInput) => ({
  SecretString: (input.SecretId === AWS_ENV.OCS_DEDUP_SECRET_ID ? 'd' : 'c').repeat(64),
});

export const freshDataKey = () => ({
  KeyId: AWS_ENV.OCS_DATA_KEY_ID,
  Plaintext: new Uint8Array(randomBytes(32)),
  CiphertextBlob: new Uint8Array(randomBytes(184)),
});

/**
 * Sets the AWS environment, forgets every module (a new cold start) and mocks the SDK clients.
 * DynamoDB answers the initiative item (live unless `mode` says test) and keeps the statements
 * the transactions put, by key.
 */
export function coldStartInAws(
  initiative: Initiative | 'none' = initiativeOpenAt(new Date()),
  mode: InitiativeMode = 'live',
) {
  const statements = new Map<string, Record<string, AttributeValue>>();
  for (const [name, value] of Object.entries(AWS_ENV)) vi.stubEnv(name, value);
  vi.resetModules();
  ddb.reset();
  kms.reset();
  sm.reset();
  ddb.on(GetItemCommand).callsFake((input: GetItemCommandInput) => {
    const pk = input.Key?.pk?.S ?? '';
    if (pk === 'INITIATIVE' && initiative !== 'none') {
      return {
        Item: {
          pk: { S: 'INITIATIVE' },
          sk: { S: 'CONFIG' },
          data: { M: marshall(initiative) },
          mode: { S: mode },
        },
      };
    }
    const item = statements.get(pk);
    return item ? { Item: item } : {};
  });
  ddb.on(PutItemCommand).resolves({});
  ddb.on(TransactWriteItemsCommand).callsFake((input: TransactWriteItemsCommandInput) => {
    const put = input.TransactItems?.[0]?.Put?.Item;
    if (put?.pk?.S) statements.set(put.pk.S, put);
    return {};
  });
  ddb.on(QueryCommand).resolves({ Items: [] });
  kms.on(GenerateDataKeyCommand).callsFake(freshDataKey);
  sm.on(GetSecretValueCommand).callsFake(secretFor);
  return { statements };
}
