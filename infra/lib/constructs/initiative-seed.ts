import { marshall } from '@aws-sdk/util-dynamodb';
import type { Initiative } from '@ocs/shared/initiative';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Key of the one item that holds the initiative (read by GET /api/initiative). */
export const INITIATIVE_ITEM_KEY = { pk: 'INITIATIVE', sk: 'CONFIG' } as const;

export interface InitiativeSeedProps {
  readonly table: dynamodb.ITableV2;
  /** The table's at-rest key: DynamoDB uses it on behalf of the writer. */
  readonly tableKey: kms.IKey;
  readonly initiative: Initiative;
}

/** The PutItem request that seeds the initiative, exported for tests. */
export function seedPutItem(tableName: string, initiative: Initiative) {
  const item = {
    pk: { S: INITIATIVE_ITEM_KEY.pk },
    sk: { S: INITIATIVE_ITEM_KEY.sk },
    data: { M: marshall(initiative, { removeUndefinedValues: true }) },
  };
  return {
    TableName: tableName,
    Item: item,
    // Never overwrite: after the first deploy the organisers own the item (console changes win).
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/**
 * Seeds the initiative item from the operator's configuration at deploy time, once. A redeploy,
 * even with a changed file, leaves an existing item alone: the conditional write fails with
 * ConditionalCheckFailedException, which the custom resource treats as success.
 */
export class InitiativeSeed extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InitiativeSeedProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: seedPutItem(props.table.tableName, props.initiative),
      physicalResourceId: cr.PhysicalResourceId.of(`${INITIATIVE_ITEM_KEY.pk}#${INITIATIVE_ITEM_KEY.sk}`),
      ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
    };
    this.resource = new cr.AwsCustomResource(this, 'PutInitiative', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [props.table.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [INITIATIVE_ITEM_KEY.pk] } },
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [props.tableKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `dynamodb.${props.table.env.region}.amazonaws.com` },
          },
        }),
      ]),
    });
  }
}
