import { join } from 'node:path';
import { AWS_CALL_BUDGET_MS } from '@ocs/functions/config/aws-client-limits';
import { ENCRYPTION_CONTEXT, ENV } from '@ocs/functions/config/env-names';
import { Duration, Size, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../config';
import { isScanGrant, TABLE_WRITE_ACTIONS, type TableScope, tableGrantConditions } from '../table-scopes';

/** Runtime of every function (docs/design.md: Node.js 24 on Graviton). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = lambda.Architecture.ARM_64;
/** Function logs carry no personal data; they are kept for operations, then expire. */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Service name in every structured log line (Powertools). */
export const SERVICE_NAME = 'ocs';

/**
 * Time a function keeps for its own work after its slowest failing AWS call: with it, a hung
 * dependency ends in the handler's 503 before Lambda's timeout ends the invocation.
 */
export const HANDLER_MARGIN_MS = 1_000;

/** The shortest timeout a function may have: one AWS call's worst case plus the handler's margin. */
export const MIN_FUNCTION_TIMEOUT_MS = AWS_CALL_BUDGET_MS + HANDLER_MARGIN_MS;

/** Absolute path of a handler entry of the functions workspace. */
export function handlerEntry(name: string): string {
  return join(REPO_ROOT, 'functions', 'src', 'handlers', `${name}.ts`);
}

export interface OcsFunctionProps {
  /** Absolute path of the handler module (it exports `handler`). */
  readonly entry: string;
  /** The function's own execution role (KeysStack), named by the key policies. */
  readonly role: iam.IRole;
  /** The fixed name its role expects (KeysStack `functionName`): the role works from this function only. */
  readonly functionName: string;
  readonly description: string;
  readonly initiativeId: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Reserved concurrency, where it protects a dependency (KMS quota, table). */
  readonly reservedConcurrentExecutions?: number;
  /** `/tmp` size in MiB (default 512, Lambda's own). */
  readonly ephemeralStorageMiB?: number;
  /** Node.js options added to `--enable-source-maps`. */
  readonly nodeOptions?: string;
  /** For a function started by asynchronous invokes: retries of a failed invoke, and how long an event may wait. */
  readonly asyncInvoke?: { readonly retryAttempts: number; readonly maxEventAge: Duration };
}

/** The secrets a function can be given, by the environment variable that names them. */
export type SecretSlot = 'dedupSecretId' | 'challengeSecretId' | 'originSecretId';

/**
 * One Lambda function with the project's defaults: nodejs24.x on arm64, bundled locally by esbuild
 * as ESM with source maps, an explicit log group with retention, Powertools settings, and its own
 * role. Configuration goes through the `use*` methods: each sets an environment variable AND
 * grants the permission it implies, so the two can never drift apart.
 */
export class OcsFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: OcsFunctionProps) {
    super(scope, id);
    // Import the role as mutable in this stack: grants become policies of this stack, attached to
    // the role, so the Keys stack never depends on the resources granted.
    this.role = iam.Role.fromRoleArn(this, 'Role', props.role.roleArn, { mutable: true });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: FUNCTION_LOG_RETENTION });
    const timeout = props.timeout ?? Duration.seconds(10);
    if (timeout.toMilliseconds() < MIN_FUNCTION_TIMEOUT_MS) {
      throw new Error(
        `${this.node.path}: a timeout of ${timeout.toMilliseconds()} ms leaves no room for the AWS clients' ` +
          `${AWS_CALL_BUDGET_MS} ms worst case (functions/src/config/aws-client-limits.ts) and the handler's ` +
          `${HANDLER_MARGIN_MS} ms: a hung dependency would end in Lambda's timeout instead of the contract's 503.`,
      );
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      functionName: props.functionName,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      ...(props.ephemeralStorageMiB
        ? { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB) }
        : {}),
      ...(props.asyncInvoke ?? {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        [ENV.runtime]: 'aws',
        [ENV.initiativeId]: props.initiativeId,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: ['--enable-source-maps', props.nodeOptions].filter(Boolean).join(' '),
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        sourceMap: true,
        minify: true,
        mainFields: ['module', 'main'],
        // Bundle everything (AWS SDK included): the certified code is exactly what was tested.
        externalModules: [],
        // CommonJS dependencies inside an ESM bundle need `require`.
        banner:
          "import{createRequire as __ocsCreateRequire}from'node:module';const require=__ocsCreateRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    this.logGroup.grantWrite(this.role);
  }

  /**
   * Sets ENV.tableName and grants exactly the table actions of `scope` (TABLE_SCOPES), each on the
   * partition keys of its item families only, and the at-rest key through DynamoDB.
   */
  useTable(table: dynamodb.ITableV2, tableKey: kms.IKey, scope: TableScope): this {
    this.function.addEnvironment(ENV.tableName, table.tableName);
    for (const grant of scope) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: isScanGrant(grant) ? ['dynamodb:Scan'] : [...grant.actions],
          resources: [
            !isScanGrant(grant) && grant.index ? `${table.tableArn}/index/${grant.index}` : table.tableArn,
          ],
          conditions: tableGrantConditions(grant),
        }),
      );
    }
    const writes = scope.some(
      (grant) => !isScanGrant(grant) && grant.actions.some((action) => TABLE_WRITE_ACTIONS.has(action)),
    );
    const keyActions = writes
      ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']
      : ['kms:Decrypt', 'kms:DescribeKey'];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: keyActions,
        resources: [tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    return this;
  }

  /**
   * Sets ENV.dataKeyId and grants kms:GenerateDataKey on the envelope key, only with this
   * initiative's encryption context. The key policy (KeysStack) says the same; both must allow.
   */
  useDataKeyForEncryption(dataKey: kms.IKey, initiativeId: string): this {
    this.function.addEnvironment(ENV.dataKeyId, dataKey.keyArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [dataKey.keyArn],
        conditions: {
          StringEquals: {
            [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: initiativeId,
            [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: [
              ENCRYPTION_CONTEXT.statementPurpose,
              ENCRYPTION_CONTEXT.emailPurpose,
            ],
          },
        },
      }),
    );
    return this;
  }

  /**
   * Sets the secret's ARN (never its value) in ENV[slot] and grants GetSecretValue on that secret,
   * with kms:Decrypt on the key that encrypts it only through Secrets Manager. (Written out rather
   * than `secret.grantRead`, whose key grant depends on how the key was imported.)
   */
  useSecret(slot: SecretSlot, secret: secretsmanager.ISecret, secretsKey: kms.IKey): this {
    this.function.addEnvironment(ENV[slot], secret.secretArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secretsKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
    return this;
  }

  /**
   * Sets ENV.dataKeyId for a function that opens data keys. No IAM permission is added: the key
   * policy (KeysStack) names the function's role and the encryption context it may decrypt under,
   * and alone decides (an IAM grant could only widen it).
   */
  useDataKeyForDecryption(dataKey: kms.IKey): this {
    this.function.addEnvironment(ENV.dataKeyId, dataKey.keyArn);
    return this;
  }

  /**
   * Sets ENV.exportBucket (and, for the export functions, ENV.exportKeyId). No IAM permission is
   * added: the bucket's policy (DataStack) and the export key's policy (KeysStack) name the roles
   * that may write, delete or read export files, and alone decide.
   */
  useExportBucket(bucket: s3.IBucket, exportKey: kms.IKey, options: { writes: boolean }): this {
    this.function.addEnvironment(ENV.exportBucket, bucket.bucketName);
    if (options.writes) this.function.addEnvironment(ENV.exportKeyId, exportKey.keyArn);
    return this;
  }

  /** Sets the names of the export functions and grants lambda:InvokeFunction on exactly them. */
  useExportFunctions(statements: lambda.IFunction, emails: lambda.IFunction): this {
    this.function.addEnvironment(ENV.exportFunction, statements.functionName);
    this.function.addEnvironment(ENV.emailExportFunction, emails.functionName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [statements.functionArn, emails.functionArn],
      }),
    );
    return this;
  }

  /**
   * Sets ENV.dataKeyId and grants scheduling the deletion of the statement key (and reading its
   * state): the destruction job's crypto-shredding. The key policy (KeysStack) names this role too.
   */
  useStatementKeyDeletion(dataKey: kms.IKey): this {
    this.function.addEnvironment(ENV.dataKeyId, dataKey.keyArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:ScheduleKeyDeletion', 'kms:DescribeKey'],
        resources: [dataKey.keyArn],
      }),
    );
    return this;
  }

  /** Sets ENV.counterShards (no permission implied). */
  useCounterShards(shards: number): this {
    this.function.addEnvironment(ENV.counterShards, String(shards));
    return this;
  }
}
