import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SignInMarkerStore, SignInMarkerTimes } from '@ocs/shared/ports';
import { TABLE_SCHEMA } from '../config/env-names';
import { conditionalPut } from './dynamo-conditional-put';
import { database } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/**
 * One small item per organiser session (`M#<sub>#<session>`), written with puts only (no update,
 * no delete): a claim is a conditional put that succeeds when the marker is absent, or neither
 * recorded nor held any longer (`heldUntil` in the past: released, or its writer died). So of
 * many concurrent first requests of a session exactly one records `sign_in`. TTL removes the
 * marker once tokens of that session can no longer be presented.
 */
export class DynamoSignInMarkerStore implements SignInMarkerStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  claim(sub: string, session: string, times: SignInMarkerTimes): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: this.item(sub, session, times.expiresAt, { heldUntil: { N: String(times.holdUntil) } }),
      ConditionExpression:
        'attribute_not_exists(pk) OR (attribute_not_exists(recorded) AND heldUntil < :now)',
      ExpressionAttributeValues: { ':now': { N: String(times.now) } },
    });
  }

  async confirm(sub: string, session: string, expiresAtEpochSeconds: number): Promise<void> {
    await this.put(this.item(sub, session, expiresAtEpochSeconds, { recorded: { BOOL: true } }));
  }

  async release(sub: string, session: string, expiresAtEpochSeconds: number): Promise<void> {
    await this.put(this.item(sub, session, expiresAtEpochSeconds, { heldUntil: { N: '0' } }));
  }

  private item(
    sub: string,
    session: string,
    expiresAt: number,
    state: Record<string, { N: string } | { BOOL: boolean }>,
  ) {
    return {
      ...keyAttributes(keys.signInMarker(sub, session)),
      [TABLE_SCHEMA.ttlAttribute]: { N: String(expiresAt) },
      ...state,
    };
  }

  private async put(item: ReturnType<DynamoSignInMarkerStore['item']>): Promise<void> {
    await database(() => this.db.send(new PutItemCommand({ TableName: this.tableName, Item: item })));
  }
}
