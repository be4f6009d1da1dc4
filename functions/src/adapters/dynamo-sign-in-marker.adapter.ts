import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SignInMarkerStore } from '@ocs/shared/ports';
import { TABLE_SCHEMA } from '../config/env-names';
import { conditionalPut } from './dynamo-conditional-put';
import { database } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/**
 * One small item per organiser session (`M#<sub>#<session>`), set with a conditional put so that
 * of many concurrent first requests of a session exactly one records `sign_in`. TTL removes the
 * marker once tokens of that session can no longer be presented. These items are apart from the
 * audit partition: deleting a marker (after a failed append) never touches an audit entry.
 */
export class DynamoSignInMarkerStore implements SignInMarkerStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  claim(sub: string, session: string, expiresAtEpochSeconds: number): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: {
        ...keyAttributes(keys.signInMarker(sub, session)),
        [TABLE_SCHEMA.ttlAttribute]: { N: String(expiresAtEpochSeconds) },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async release(sub: string, session: string): Promise<void> {
    await database(() =>
      this.db.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.signInMarker(sub, session)),
        }),
      ),
    );
  }
}
