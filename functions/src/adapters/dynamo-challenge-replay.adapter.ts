import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ChallengeClaimant, ChallengeReplayStore } from '@ocs/shared/ports';
import { database, isConditionFailed } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/**
 * Single use of proof-of-work challenges: a conditional put per challenge nonce, kept until the
 * challenge would have expired anyway (TTL removes it). The first statement to present a
 * challenge owns it; retries of that same statement (same submission, same identity) may present
 * it again; anything else is refused, so one solved challenge never carries two identities.
 */
export class DynamoChallengeReplayStore implements ChallengeReplayStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(
    challengeId: string,
    claimant: ChallengeClaimant,
    expiresAtEpochSeconds: number,
  ): Promise<boolean> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...keyAttributes(keys.challenge(challengeId)),
              submissionId: { S: claimant.submissionId },
              dedupKey: { S: claimant.dedupKey },
              expiresAt: { N: String(expiresAtEpochSeconds) },
            },
            ConditionExpression: 'attribute_not_exists(pk) OR (submissionId = :sid AND dedupKey = :dk)',
            ExpressionAttributeValues: {
              ':sid': { S: claimant.submissionId },
              ':dk': { S: claimant.dedupKey },
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && isConditionFailed(error.cause)) return false;
      throw error;
    }
  }
}
