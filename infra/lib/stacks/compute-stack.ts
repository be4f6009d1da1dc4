import { join } from 'node:path';
import { type HandlerName, handlerModule } from '@ocs/shared/contract/routes';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { REPO_ROOT } from '../config';
import { handlerEntry, OcsFunction } from '../constructs/ocs-function';
import { TABLE_SCOPES } from '../table-scopes';
import { type FunctionRoles, functionName } from './keys-stack';

export interface ComputeStackProps extends StackProps {
  readonly initiativeId: string;
  /** Prefix of the function names: each role works only from the function of its fixed name. */
  readonly deploymentName: string;
  readonly roles: FunctionRoles;
  readonly table: dynamodb.ITableV2;
  readonly storageKey: kms.IKey;
  readonly dataKey: kms.IKey;
  readonly secretsKey: kms.IKey;
  readonly dedupSecret: secretsmanager.ISecret;
  readonly challengeSecret: secretsmanager.ISecret;
  /** The origin-verification secret and its key (read by the authorizer only). */
  readonly originSecret: secretsmanager.ISecret;
  readonly originKey: kms.IKey;
  /** The export bucket and its own key (DataStack, KeysStack); the destruction job deletes every version of every file in it. */
  readonly exportBucket: s3.IBucket;
  readonly exportKey: kms.IKey;
  /** Reserved concurrency of the submit function. */
  readonly submitConcurrency: number;
  readonly counterShards: number;
}

/**
 * When the destruction job runs: every day at 00:30 UTC (01:30 or 02:30 in Brussels), early on the
 * deadline day, so a destruction due that day completes on it (`met`).
 */
export const RETENTION_SCHEDULE = { minute: '30', hour: '0' } as const;

/**
 * The function behind each route of the contract (shared/src/contract/routes.ts), by handler
 * name, one construct and one role each. A route added to the contract does not compile here
 * until its function is declared, with exactly the permissions its handler needs.
 */
export type RouteFunctions = Readonly<Record<HandlerName, OcsFunction>>;

/** Absolute path of an export function's entry (functions/src/export/). */
export function exportEntry(name: string): string {
  return join(REPO_ROOT, 'functions', 'src', 'export', `${name}.ts`);
}

/**
 * What an export function gets (docs/export-format.md, "How it runs"): Lambda's 15-minute maximum
 * (the engine exports a million statements in about half a minute of CPU, so several million fit),
 * 2,048 MB (more than one vCPU; the export is CPU-bound), 2 GiB of /tmp for the sorted runs of
 * ciphertext (about 350 MB per million statements), a small young generation so the heap stays
 * close to the live data of a streaming job, no retry of a failed run (it is failed for good, its
 * files deleted) and start events that expire after ten minutes (the job is given up after 15).
 * Two runs at most at once: exports are rare, and each may read the whole table.
 */
export const EXPORT_FUNCTION_SETTINGS = {
  timeout: Duration.minutes(15),
  memorySize: 2048,
  ephemeralStorageMiB: 2048,
  nodeOptions: '--max-semi-space-size=4',
  reservedConcurrentExecutions: 2,
  asyncInvoke: { retryAttempts: 0, maxEventAge: Duration.minutes(10) },
} as const;

/** Stateless compute: the Lambda functions, each given exactly what its handler uses. */
export class ComputeStack extends Stack {
  readonly functions: RouteFunctions;
  /**
   * The Lambda REQUEST authorizer of the citizen routes (ApiStack): it admits only requests that
   * carry CloudFront's origin-verification header, so the execute-api endpoint cannot be used to
   * skip the WAF. It reads the origin secret and nothing else.
   */
  readonly originAuthorizer: OcsFunction;
  /** The export functions, started by the approve route (asynchronous invoke), one per kind. */
  readonly exportFunctions: { readonly statements: OcsFunction; readonly emails: OcsFunction };
  /** The destruction job (no route): daily, and on demand. */
  readonly retentionJob: OcsFunction;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    const { initiativeId, roles, table, storageKey } = props;
    const named = (role: keyof FunctionRoles) => ({
      role: roles[role],
      functionName: functionName(props.deploymentName, role),
    });

    const getInitiative = new OcsFunction(this, 'GetInitiative', {
      entry: handlerEntry('get-initiative'),
      ...named('getInitiative'),
      description: 'GET /api/initiative',
      initiativeId,
      timeout: Duration.seconds(5),
    }).useTable(table, storageKey, TABLE_SCOPES.getInitiative);

    const getProgress = new OcsFunction(this, 'GetProgress', {
      entry: handlerEntry('get-progress'),
      ...named('getProgress'),
      description: 'GET /api/progress',
      initiativeId,
      timeout: Duration.seconds(5),
    })
      .useTable(table, storageKey, TABLE_SCOPES.getProgress)
      .useCounterShards(props.counterShards);

    const getChallenge = new OcsFunction(this, 'GetChallenge', {
      entry: handlerEntry('get-challenge'),
      ...named('getChallenge'),
      description: 'GET /api/challenge',
      initiativeId,
      timeout: Duration.seconds(5),
    }).useSecret('challengeSecretId', props.challengeSecret, props.secretsKey);

    const submitStatement = new OcsFunction(this, 'SubmitStatement', {
      entry: handlerEntry('submit-statement'),
      ...named('submitStatement'),
      description: 'POST /api/statements',
      initiativeId,
      memorySize: 1024,
      timeout: Duration.seconds(10),
      // Caps parallel cold starts (each one calls KMS and Secrets Manager) and the table's write rate.
      reservedConcurrentExecutions: props.submitConcurrency,
    })
      .useTable(table, storageKey, TABLE_SCOPES.submitStatement)
      .useDataKeyForEncryption(props.dataKey, initiativeId)
      .useSecret('dedupSecretId', props.dedupSecret, props.secretsKey)
      .useSecret('challengeSecretId', props.challengeSecret, props.secretsKey)
      .useCounterShards(props.counterShards);

    const getMe = new OcsFunction(this, 'GetMe', {
      entry: handlerEntry('get-me'),
      ...named('getMe'),
      description: 'GET /api/admin/me',
      initiativeId,
      memorySize: 256,
      timeout: Duration.seconds(5),
    }).useTable(table, storageKey, TABLE_SCOPES.getMe);

    const { exportBucket, exportKey } = props;
    const exportFunction = (
      role: 'exportStatements' | 'exportEmails',
      id: string,
      entry: string,
      what: string,
    ) =>
      new OcsFunction(this, id, {
        entry: exportEntry(entry),
        ...named(role),
        description: `Export of ${what} (started by an approval)`,
        initiativeId,
        ...EXPORT_FUNCTION_SETTINGS,
      })
        .useTable(table, storageKey, TABLE_SCOPES[role])
        .useDataKeyForDecryption(props.dataKey)
        .useExportBucket(exportBucket, exportKey, { writes: true });
    const exportStatements = exportFunction(
      'exportStatements',
      'ExportStatements',
      'run-export-handler',
      'statements for the national authorities',
    );
    const exportEmails = exportFunction(
      'exportEmails',
      'ExportEmails',
      'run-email-export-handler',
      'the e-mail addresses given with consent',
    );
    this.exportFunctions = { statements: exportStatements, emails: exportEmails };

    /** An organiser route's function: small, short, its table scope and nothing else (no Decrypt). */
    const organiserFunction = (
      id: string,
      role: keyof typeof TABLE_SCOPES & keyof FunctionRoles & HandlerName,
      description: string,
      timeout = Duration.seconds(10),
    ) =>
      new OcsFunction(this, id, {
        entry: handlerEntry(handlerModule(role)),
        ...named(role),
        description,
        initiativeId,
        memorySize: 256,
        timeout,
      }).useTable(table, storageKey, TABLE_SCOPES[role]);

    const getAdminInitiative = organiserFunction(
      'GetAdminInitiative',
      'getAdminInitiative',
      'GET /api/admin/initiative',
    );
    const updateInitiative = organiserFunction(
      'UpdateInitiative',
      'updateInitiative',
      'PUT /api/admin/initiative',
    );
    // Go-live deletes the test data: a minute is ample for a test mode's statements; a request
    // stopped by the timeout is finished by the next one (use-cases/go-live.ts, its lease).
    const goLive = organiserFunction('GoLive', 'goLive', 'POST /api/admin/go-live', Duration.seconds(60));
    const setCollection = organiserFunction('SetCollection', 'setCollection', 'POST /api/admin/collection');
    const recordSubmission = organiserFunction(
      'RecordSubmission',
      'recordSubmission',
      'POST /api/admin/submission',
    );
    const getDashboard = organiserFunction(
      'GetDashboard',
      'getDashboard',
      'GET /api/admin/dashboard',
    ).useCounterShards(props.counterShards);
    const getAudit = organiserFunction('GetAudit', 'getAudit', 'GET /api/admin/audit');
    const getRetention = organiserFunction('GetRetention', 'getRetention', 'GET /api/admin/retention');
    const adminWithdrawStatement = organiserFunction(
      'AdminWithdrawStatement',
      'adminWithdrawStatement',
      'POST /api/admin/withdrawals',
    );

    // A citizen's withdrawal: a proof of work (the challenge secret), then the same withdrawal.
    const withdrawStatement = new OcsFunction(this, 'WithdrawStatement', {
      entry: handlerEntry('withdraw-statement'),
      ...named('withdrawStatement'),
      description: 'POST /api/withdrawals',
      initiativeId,
      memorySize: 512,
      timeout: Duration.seconds(10),
    })
      .useTable(table, storageKey, TABLE_SCOPES.withdrawStatement)
      .useSecret('challengeSecretId', props.challengeSecret, props.secretsKey);

    const requestExport = organiserFunction('RequestExport', 'requestExport', 'POST /api/admin/exports');
    const requestEmailExport = organiserFunction(
      'RequestEmailExport',
      'requestEmailExport',
      'POST /api/admin/email-exports',
    );
    const listExports = organiserFunction(
      'ListExports',
      'listExports',
      'GET /api/admin/exports',
    ).useExportBucket(exportBucket, exportKey, { writes: false });
    const getExport = organiserFunction(
      'GetExport',
      'getExport',
      'GET /api/admin/exports/{id}',
    ).useExportBucket(exportBucket, exportKey, { writes: false });
    const approveExport = organiserFunction(
      'ApproveExport',
      'approveExport',
      'POST /api/admin/exports/{id}/approve',
    ).useExportFunctions(exportStatements.function, exportEmails.function);
    const createExportDownload = organiserFunction(
      'CreateExportDownload',
      'createExportDownload',
      'POST /api/admin/exports/{id}/downloads',
    ).useExportBucket(exportBucket, exportKey, { writes: false });

    this.functions = {
      getInitiative,
      getProgress,
      getChallenge,
      submitStatement,
      getMe,
      getAdminInitiative,
      updateInitiative,
      goLive,
      setCollection,
      recordSubmission,
      getDashboard,
      getAudit,
      requestExport,
      listExports,
      getExport,
      approveExport,
      createExportDownload,
      requestEmailExport,
      withdrawStatement,
      adminWithdrawStatement,
      getRetention,
    };

    this.retentionJob = new OcsFunction(this, 'RunRetention', {
      entry: join(REPO_ROOT, 'functions', 'src', 'retention', 'run-retention-handler.ts'),
      ...named('runRetention'),
      description: 'Destruction job: destroys the personal data on the legal day, then the statement key.',
      initiativeId,
      memorySize: 512,
      // Lambda's longest: a large table takes minutes; a run that must stop saves its progress
      // and fails, so Lambda retries the event and the run resumes.
      // One run at a time: the job holds a lease on its record (no reserved concurrency, which a
      // new account's concurrency limit of 10 would refuse).
      timeout: Duration.minutes(15),
    })
      .useTable(table, storageKey, TABLE_SCOPES.runRetention)
      .useStatementKeyDeletion(props.dataKey)
      .useExportBucket(exportBucket, exportKey, { writes: false });
    this.retentionJob.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    new events.Rule(this, 'RetentionSchedule', {
      description: 'Runs the destruction job daily.',
      schedule: events.Schedule.cron(RETENTION_SCHEDULE),
      targets: [new targets.LambdaFunction(this.retentionJob.function, { retryAttempts: 2 })],
    });

    this.originAuthorizer = new OcsFunction(this, 'VerifyOrigin', {
      entry: handlerEntry('verify-origin'),
      ...named('verifyOrigin'),
      description: 'Authorizer of the citizen routes: admits only requests sent by CloudFront.',
      initiativeId,
      // API Gateway caches its answer per header value, so it runs about once per cache period.
      timeout: Duration.seconds(5),
    }).useSecret('originSecretId', props.originSecret, props.originKey);
  }
}
