import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import {
  type Initiative,
  type InitiativeLifecycle,
  type InitiativeState,
  initiativeSchema,
} from '@ocs/shared/initiative';
import type { InitiativeAdminStore } from '@ocs/shared/ports';
import { database, isConditionFailed } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const stringOf = (value: AttributeValue | undefined, pattern?: RegExp) =>
  value?.S !== undefined && (!pattern || pattern.test(value.S)) ? value.S : undefined;

/** The lifecycle attributes of the item; absent ones are the defaults of a new initiative. */
function lifecycleOf(item: Record<string, AttributeValue>): InitiativeLifecycle {
  const liveSince = stringOf(item.liveSince);
  const submittedOn = stringOf(item.submittedOn, DATE);
  const withdrawnOn = stringOf(item.withdrawnOn, DATE);
  return {
    mode: item.mode?.S === 'live' ? 'live' : 'test',
    ...(liveSince ? { liveSince } : {}),
    ...(submittedOn ? { submittedOn } : {}),
    ...(withdrawnOn ? { withdrawnOn } : {}),
    ...(item.testWipePending?.BOOL ? { testWipePending: true } : {}),
    ...(item.testWipeLeaseUntil?.S ? { testWipeLeaseUntil: item.testWipeLeaseUntil.S } : {}),
  };
}

function lifecycleAttributes(lifecycle: InitiativeLifecycle): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { mode: { S: lifecycle.mode } };
  if (lifecycle.liveSince) attributes.liveSince = { S: lifecycle.liveSince };
  if (lifecycle.submittedOn) attributes.submittedOn = { S: lifecycle.submittedOn };
  if (lifecycle.withdrawnOn) attributes.withdrawnOn = { S: lifecycle.withdrawnOn };
  if (lifecycle.testWipePending) attributes.testWipePending = { BOOL: true };
  if (lifecycle.testWipeLeaseUntil) attributes.testWipeLeaseUntil = { S: lifecycle.testWipeLeaseUntil };
  return attributes;
}

const dataAttribute = (initiative: Initiative): AttributeValue => ({
  M: marshall(initiativeSchema.parse(initiative), { removeUndefinedValues: true }),
});

/**
 * The initiative item: `data` (the initiative, read through `initiativeSchema`, so a corrupt item
 * is never served), the lifecycle attributes `mode` (absent: test), `liveSince`, `submittedOn`,
 * `withdrawnOn`, `testWipePending`, `testWipeLeaseUntil`, and `version` (absent: 0, the item the
 * deployment seeded).
 * Every organiser change is one conditional put of the whole item on the version it read.
 */
export class DynamoInitiativeStore implements InitiativeAdminStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<Initiative | undefined> {
    return (await this.state())?.initiative;
  }

  async state(): Promise<InitiativeState | undefined> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.initiative()),
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Item;
    const data = item?.data?.M;
    if (!item || !data) return undefined;
    const parsed = initiativeSchema.safeParse(unmarshall(data));
    if (!parsed.success) {
      // An operator's misconfiguration, not a bug in a request: answered like a missing item.
      throw new InitiativeNotConfiguredError({
        cause: new Error(
          `Invalid initiative fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
        ),
      });
    }
    const version = Number(item.version?.N ?? 0);
    return {
      initiative: parsed.data,
      lifecycle: lifecycleOf(item),
      version: Number.isSafeInteger(version) && version >= 0 ? version : 0,
    };
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { ...keyAttributes(keys.initiative()), data: dataAttribute(initiative) },
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

  async replace(
    expectedVersion: number,
    next: { readonly initiative: Initiative; readonly lifecycle: InitiativeLifecycle },
  ): Promise<boolean> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...keyAttributes(keys.initiative()),
              data: dataAttribute(next.initiative),
              ...lifecycleAttributes(next.lifecycle),
              version: { N: String(expectedVersion + 1) },
            },
            // The seeded item has no version: it is version 0.
            ConditionExpression:
              expectedVersion === 0
                ? 'attribute_exists(pk) AND (attribute_not_exists(#version) OR #version = :expected)'
                : 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
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
