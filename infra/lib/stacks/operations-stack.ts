import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { OcsFunction } from '../constructs/ocs-function';
import { LogBucket, PrivateBucket } from '../constructs/secure-bucket';
import type { RouteFunctions } from './compute-stack';

export interface OperationsStackProps extends StackProps {
  readonly functions: RouteFunctions;
  /** The origin authorizer of the citizen routes: its errors are 500s for every citizen. */
  readonly originAuthorizer: OcsFunction;
  /** The destruction job: any error of it may make the legal deadline slip. */
  readonly retentionJob: OcsFunction;
  readonly submitConcurrency: number;
  readonly accountConcurrencyLimit: number;
  readonly httpApi: apigwv2.IHttpApi;
  readonly table: dynamodb.ITableV2;
  /** Keys whose administrative events (disable, deletion, policy change) raise an alarm. */
  readonly watchedKeys: kms.IKey[];
  readonly topicKey: kms.IKey;
  readonly alarmEmail: string | undefined;
}

/** Percent of the KMS cryptographic-operations quota that raises the alarm. */
export const KMS_QUOTA_ALARM_PERCENT = 50;
/** Percent of reserved (or account) concurrency that raises the concurrency alarms. */
export const CONCURRENCY_ALARM_PERCENT = 80;
/** Percent of API responses that are 5xx that raises the alarm. */
export const API_5XX_ALARM_PERCENT = 1;
/** Days the audit trail is kept: covers the 21-month data lifetime and a certification audit after it. */
export const AUDIT_TRAIL_DAYS = 1095;

/**
 * Changes that must never pass unnoticed, as CloudTrail records them (service, event names). Each
 * raises an alarm on its first occurrence: a deployment raises them too, so every alarm is matched
 * against a deployment someone knows of. IAM is global and its events reach EventBridge only in
 * us-east-1, so the alarms read the trail's log group (every region's events, IAM's included).
 */
export const CHANGE_ALARMS = {
  SecretChanges: {
    description: 'A secret, its value or its resource policy was changed, rotated, deleted or restored.',
    eventSource: 'secretsmanager.amazonaws.com',
    eventNames: [
      'PutSecretValue',
      'UpdateSecret',
      'UpdateSecretVersionStage',
      'RotateSecret',
      'CancelRotateSecret',
      'DeleteSecret',
      'RestoreSecret',
      'PutResourcePolicy',
      'DeleteResourcePolicy',
      'CreateSecret',
    ],
  },
  FunctionChanges: {
    description: "A Lambda function's code, configuration, permissions or concurrency was changed.",
    eventSource: 'lambda.amazonaws.com',
    // Lambda records versioned names (UpdateFunctionCode20150331v2): prefixes match every version.
    eventNames: [
      'CreateFunction*',
      'UpdateFunctionCode*',
      'UpdateFunctionConfiguration*',
      'DeleteFunction*',
      'AddPermission*',
      'RemovePermission*',
      'PutFunctionConcurrency*',
      'DeleteFunctionConcurrency*',
      'PublishVersion*',
      'UpdateAlias*',
      'CreateFunctionUrlConfig*',
      'UpdateFunctionUrlConfig*',
      'PutRuntimeManagementConfig*',
    ],
  },
  RolePolicyChanges: {
    description:
      'An IAM role or policy was changed: inline or managed policies, trust, permissions boundary.',
    eventSource: 'iam.amazonaws.com',
    eventNames: [
      'PutRolePolicy',
      'DeleteRolePolicy',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'UpdateAssumeRolePolicy',
      'PutRolePermissionsBoundary',
      'DeleteRolePermissionsBoundary',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'SetDefaultPolicyVersion',
      'CreateRole',
      'DeleteRole',
    ],
  },
} as const;

/** The CloudWatch Logs filter pattern that matches one of CHANGE_ALARMS' event families. */
export function changeFilterPattern(change: { eventSource: string; eventNames: readonly string[] }): string {
  const names = change.eventNames.map((name) => `($.eventName = "${name}")`).join(' || ');
  return `{ ($.eventSource = "${change.eventSource}") && (${names}) }`;
}

/** The KMS operations that share the "cryptographic operations (symmetric)" request quota and that this system calls. */
const KMS_OPERATIONS = ['GenerateDataKey', 'Decrypt', 'Encrypt'] as const;

/**
 * Operations: alarms to one SNS topic, and the CloudTrail trail that records every KMS call
 * (GenerateDataKey, Decrypt, key administration) with log file validation.
 */
export class OperationsStack extends Stack {
  readonly alarmTopic: sns.Topic;
  readonly trail: cloudtrail.Trail;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);

    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: 'Online collection system alarms',
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const notify = new actions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    // KMS: the account's shared request quota, as a percentage, through Service Quotas' SERVICE_QUOTA().
    const usage: Record<string, cloudwatch.IMetric> = {};
    KMS_OPERATIONS.forEach((operation, i) => {
      usage[`kms${i}`] = new cloudwatch.Metric({
        namespace: 'AWS/Usage',
        metricName: 'CallCount',
        dimensionsMap: { Service: 'KMS', Type: 'API', Resource: operation, Class: 'None' },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      });
    });
    const perSecond = Object.keys(usage)
      .map((k) => `FILL(${k}, 0)`)
      .join(' + ');
    alarm('KmsRequestQuota', {
      alarmDescription: `KMS cryptographic requests above ${KMS_QUOTA_ALARM_PERCENT}% of the account quota.`,
      metric: new cloudwatch.MathExpression({
        expression: `100 * ((${perSecond}) / 60) / SERVICE_QUOTA(kms0)`,
        usingMetrics: usage,
        label: 'KMS request rate, % of quota',
        period: Duration.minutes(1),
      }),
      threshold: KMS_QUOTA_ALARM_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // Lambda: the submit function near its reserved concurrency, any throttling, the account near its limit.
    const submit = props.functions.submitStatement.function;
    alarm('SubmitConcurrency', {
      alarmDescription: `Submit function above ${CONCURRENCY_ALARM_PERCENT}% of its reserved concurrency.`,
      metric: submit.metric('ConcurrentExecutions', {
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: Math.ceil((props.submitConcurrency * CONCURRENCY_ALARM_PERCENT) / 100),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
    });
    alarm('AccountConcurrency', {
      alarmDescription: `Account Lambda concurrency above ${CONCURRENCY_ALARM_PERCENT}% of its limit.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'ConcurrentExecutions',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: Math.ceil((props.accountConcurrencyLimit * CONCURRENCY_ALARM_PERCENT) / 100),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
    });
    const fnAlarms = (name: string, fn: OcsFunction) => {
      alarm(`${name}Throttles`, {
        alarmDescription: `${fn.function.node.path}: invocations throttled.`,
        metric: fn.function.metricThrottles({ period: Duration.minutes(1) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Errors`, {
        alarmDescription: `${fn.function.node.path}: invocation errors.`,
        metric: fn.function.metricErrors({ period: Duration.minutes(1) }),
        threshold: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    };
    for (const [name, fn] of Object.entries(props.functions)) fnAlarms(name, fn);
    fnAlarms('verifyOrigin', props.originAuthorizer);
    // The destruction job runs once a day: a single failed run (it resumes on the retries and the
    // next day) is worth a look, since the deadline is a legal one.
    alarm('RetentionJobFailed', {
      alarmDescription: `${props.retentionJob.function.node.path}: the destruction job failed or had to stop early.`,
      metric: props.retentionJob.function.metricErrors({ period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // API: share of 5xx responses.
    alarm('Api5xxRate', {
      alarmDescription: `More than ${API_5XX_ALARM_PERCENT}% of API responses are 5xx.`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.httpApi.metricServerError({
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
          requests: props.httpApi.metricCount({
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
        },
        period: Duration.minutes(5),
        label: 'API 5xx, % of requests',
      }),
      threshold: API_5XX_ALARM_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // DynamoDB: any throttled read or write.
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents'] as const) {
      alarm(`Table${metricName}`, {
        alarmDescription: `DynamoDB ${metricName} on the table.`,
        metric: props.table.metric(metricName, {
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // Audit trail: all management events, KMS included (no exclusion), in an EU bucket, validated.
    const trailLogs = new LogBucket(this, 'TrailAccessLogs', { retentionDays: AUDIT_TRAIL_DAYS }).bucket;
    const trailBucket = new PrivateBucket(this, 'TrailBucket', {
      serverAccessLogsBucket: trailLogs,
      serverAccessLogsPrefix: 'trail-bucket/',
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-audit-trail',
          expiration: Duration.days(AUDIT_TRAIL_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    }).bucket;
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: trailBucket,
      enableFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs: true,
      cloudWatchLogsRetention: logs.RetentionDays.ONE_YEAR,
    });

    // Secrets, functions and role policies: any change, from any principal, alarms at once.
    const trailLogGroup = this.trail.logGroup;
    if (!trailLogGroup) throw new Error('The audit trail must send its events to CloudWatch Logs.');
    for (const [name, change] of Object.entries(CHANGE_ALARMS)) {
      const metricFilter = new logs.MetricFilter(this, `${name}Filter`, {
        logGroup: trailLogGroup,
        filterPattern: logs.FilterPattern.literal(changeFilterPattern(change)),
        metricNamespace: 'OCS/Changes',
        metricName: name,
        metricValue: '1',
      });
      alarm(name, {
        alarmDescription: change.description,
        metric: metricFilter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // Key administration that could destroy or expose data: alarm at once.
    new events.Rule(this, 'KeyAdministration', {
      description: 'Disabling, scheduling deletion of, or changing the policy of an OCS key.',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'],
          resources: { ARN: props.watchedKeys.map((k) => k.keyArn) },
        },
      },
      targets: [new targets.SnsTopic(this.alarmTopic)],
    });
  }
}
