import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DataKeyRecord, DataKeyStore } from '@ocs/shared/ports';
import { database } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/** Data key records (the wrapped key, never its plaintext), one item per key. */
export class DynamoDataKeyStore implements DataKeyStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(record: DataKeyRecord, expiresAtEpochSeconds: number): Promise<void> {
    await database(() =>
      this.db.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...keyAttributes(keys.dataKey(record.ref)),
            masterKeyId: { S: record.masterKeyId },
            edk: { B: record.ciphertext },
            ctx: { M: Object.fromEntries(Object.entries(record.context).map(([k, v]) => [k, { S: v }])) },
            createdAt: { S: record.createdAt },
            expiresAt: { N: String(expiresAtEpochSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(ref: string): Promise<DataKeyRecord | undefined> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.dataKey(ref)),
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Item;
    if (!item?.edk?.B || !item.masterKeyId?.S || !item.ctx?.M || !item.createdAt?.S) return undefined;
    const context: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(item.ctx.M)) {
      if (v.S === undefined) return undefined;
      context.push([k, v.S]);
    }
    return {
      ref,
      masterKeyId: item.masterKeyId.S,
      ciphertext: item.edk.B,
      context: Object.fromEntries(context),
      createdAt: item.createdAt.S,
    };
  }
}
