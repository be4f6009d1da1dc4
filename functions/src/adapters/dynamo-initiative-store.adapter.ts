import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { type Initiative, initiativeSchema } from '@ocs/shared/initiative';
import type { InitiativeStore } from '@ocs/shared/ports';
import { database, isConditionFailed } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/** The initiative item; read through `initiativeSchema`, so a corrupt item is never served. */
export class DynamoInitiativeStore implements InitiativeStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<Initiative | undefined> {
    const out = await database(() =>
      this.db.send(new GetItemCommand({ TableName: this.tableName, Key: keyAttributes(keys.initiative()) })),
    );
    const data = out.Item?.data?.M;
    if (!data) return undefined;
    const parsed = initiativeSchema.safeParse(unmarshall(data));
    if (!parsed.success) {
      // An operator's misconfiguration, not a bug in a request: answered like a missing item.
      throw new InitiativeNotConfiguredError({
        cause: new Error(
          `Invalid initiative fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
        ),
      });
    }
    return parsed.data;
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...keyAttributes(keys.initiative()),
              data: { M: marshall(initiativeSchema.parse(initiative), { removeUndefinedValues: true }) },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
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
