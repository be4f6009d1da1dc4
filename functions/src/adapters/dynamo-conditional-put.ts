import { type DynamoDBClient, PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { database, isConditionFailed } from './dynamo-errors';

/**
 * A PutItem whose `ConditionExpression` decides who wins: true when the item was written, false
 * when the condition failed (someone else's item is there); any other failure throws
 * `DependencyUnavailableError('database')`.
 */
export async function conditionalPut(db: DynamoDBClient, input: PutItemCommandInput): Promise<boolean> {
  try {
    await database(() => db.send(new PutItemCommand(input)));
    return true;
  } catch (error) {
    if (error instanceof Error && isConditionFailed(error.cause)) return false;
    throw error;
  }
}
