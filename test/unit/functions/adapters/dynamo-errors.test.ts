import { ConditionalCheckFailedException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { database, isConditionFailed } from '@ocs/functions/adapters/dynamo-errors';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { describe, expect, it } from 'vitest';

describe('database', () => {
  it('returns the value of a successful call', async () => {
    expect(await database(async () => 42)).toBe(42);
  });

  it('wraps any failure as DependencyUnavailableError("database"), cause kept', async () => {
    const failure = new ThrottlingException({ $metadata: {}, message: 'throttled' });

    const error = await database(async () => {
      throw failure;
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'database', cause: failure });
  });

  it('passes a DependencyUnavailableError through unwrapped', async () => {
    const inner = new DependencyUnavailableError('keys');

    await expect(
      database(async () => {
        throw inner;
      }),
    ).rejects.toBe(inner);
  });
});

describe('isConditionFailed', () => {
  it('recognises the SDK error of a failed condition, and nothing else', () => {
    expect(isConditionFailed(new ConditionalCheckFailedException({ $metadata: {}, message: 'x' }))).toBe(
      true,
    );
    expect(isConditionFailed(new ThrottlingException({ $metadata: {}, message: 'x' }))).toBe(false);
    expect(isConditionFailed({ name: 'ConditionalCheckFailedException' })).toBe(false);
    expect(isConditionFailed(undefined)).toBe(false);
  });
});
