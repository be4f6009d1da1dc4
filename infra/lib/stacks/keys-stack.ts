import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { cloudFormationExecutionRoleArn } from '../deploy-role';

/**
 * Key administration without cryptographic use. The account (through IAM) may manage the keys,
 * schedule their deletion (crypto-shredding) and change their policies, all of it recorded by
 * CloudTrail and alarmed on; it may not Encrypt, Decrypt or GenerateDataKey. Only the principals
 * that a key policy names below can use a key.
 */
const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

export interface KeysStackProps extends StackProps {
  /** Initiative slug: every encryption-context condition names it. */
  readonly initiativeId: string;
  /** Prefix of the function names (OcsConfig.deploymentName): each role names its function's ARN. */
  readonly deploymentName: string;
}

/** The execution roles of the functions, one per function, named by the key policies. */
export interface FunctionRoles {
  readonly getInitiative: iam.Role;
  readonly getProgress: iam.Role;
  readonly getChallenge: iam.Role;
  readonly submitStatement: iam.Role;
  /** GET /api/admin/me: reads the verified claims only. */
  readonly getMe: iam.Role;
  /** The organiser routes on the initiative item, the dashboard and the audit trail: no key use. */
  readonly getAdminInitiative: iam.Role;
  readonly updateInitiative: iam.Role;
  readonly goLive: iam.Role;
  readonly setCollection: iam.Role;
  readonly recordSubmission: iam.Role;
  readonly getDashboard: iam.Role;
  readonly getAudit: iam.Role;
  /** The Lambda authorizer of the citizen routes: reads the origin-verification secret only. */
  readonly verifyOrigin: iam.Role;
  /** The export routes: request, read, list, approve (starts the run) and download links. */
  readonly requestExport: iam.Role;
  readonly listExports: iam.Role;
  readonly getExport: iam.Role;
  readonly approveExport: iam.Role;
  /** Presigns download links: the links act with this role, which the export key names as a reader. */
  readonly createExportDownload: iam.Role;
  readonly requestEmailExport: iam.Role;
  /** The statements export function: the only role that may Decrypt statement data keys for an export. */
  readonly exportStatements: iam.Role;
  /** The e-mail export function: may Decrypt e-mail data keys only, never a statement's. */
  readonly exportEmails: iam.Role;
  /** POST /api/withdrawals and POST /api/admin/withdrawals: delete by receipt; no key use. */
  readonly withdrawStatement: iam.Role;
  readonly adminWithdrawStatement: iam.Role;
  /** GET /api/admin/retention: reads the initiative and the destruction job's record. */
  readonly getRetention: iam.Role;
  /**
   * The destruction job (a daily schedule, no route): deletes the personal items and the export
   * files, and then schedules the deletion of the statement key: the one role the key policy
   * lets do that.
   */
  readonly runRetention: iam.Role;
}

/**
 * The function each role serves, by the last part of its name (`<deploymentName>-<slug>`). The
 * names are fixed so that a role can name its one function before the function exists.
 */
export const FUNCTION_SLUGS: Readonly<Record<keyof FunctionRoles, string>> = {
  getInitiative: 'get-initiative',
  getProgress: 'get-progress',
  getChallenge: 'get-challenge',
  submitStatement: 'submit-statement',
  getMe: 'get-me',
  getAdminInitiative: 'get-admin-initiative',
  updateInitiative: 'update-initiative',
  goLive: 'go-live',
  setCollection: 'set-collection',
  recordSubmission: 'record-submission',
  getDashboard: 'get-dashboard',
  getAudit: 'get-audit',
  verifyOrigin: 'verify-origin',
  requestExport: 'request-export',
  listExports: 'list-exports',
  getExport: 'get-export',
  approveExport: 'approve-export',
  createExportDownload: 'create-export-download',
  requestEmailExport: 'request-email-export',
  exportStatements: 'export-statements',
  exportEmails: 'export-emails',
  withdrawStatement: 'withdraw-statement',
  adminWithdrawStatement: 'admin-withdraw-statement',
  getRetention: 'get-retention',
  runRetention: 'run-retention',
};

/** The name of the Lambda function that `role` serves. */
export function functionName(deploymentName: string, role: keyof FunctionRoles): string {
  return `${deploymentName}-${FUNCTION_SLUGS[role]}`;
}

/**
 * Actions Lambda performs with a function's role outside the function's code: writing its logs
 * and traces (requests that carry the function's ARN anyway), and decrypting its environment
 * with the AWS-managed key (requests that do not). KMS on the project's own keys is governed by
 * a statement of its own below.
 */
const LAMBDA_SERVICE_ACTIONS = ['logs:*', 'xray:*', 'kms:*'];

/**
 * Actions a role's credentials may take from outside its function, by role: a presigned S3 URL is
 * a request signed with the download function's credentials but sent by the organiser's browser,
 * which carries no `lambda:SourceFunctionArn`. It allows exactly what the role is granted
 * (`s3:GetObject` of export files), for at most the link's few minutes.
 */
export const USABLE_OUTSIDE_THE_FUNCTION: Partial<Record<keyof FunctionRoles, readonly string[]>> = {
  createExportDownload: ['s3:GetObject'],
};

/**
 * Keys and the principals that may use them (stateful).
 *
 * - `dataKey` issues the envelope data keys of statements and e-mail addresses. Its key policy
 *   lets the submit role only GenerateDataKey, and only the export role Decrypt, each with an
 *   encryption context naming this initiative and the purpose. An explicit deny refuses Decrypt
 *   to everyone else. Scheduling its deletion destroys every statement (crypto-shredding,
 *   docs/architecture.md): the destruction job's role may, and no other function role.
 * - `secretsKey` encrypts the dedup and challenge secrets. It decrypts only through Secrets
 *   Manager, so the submit role's one Decrypt permission cannot open a statement's data key.
 * - `storageKey` encrypts the table, the export bucket and the alarm topic at rest. It is a
 *   different key from `dataKey` on purpose: DynamoDB and S3 need Decrypt on the at-rest key for
 *   every reader, which must never become Decrypt on the envelope key.
 * - `originKey` encrypts the origin-verification secret (CloudFront -> API). Its readers differ
 *   from the HMAC secrets' (the authorizer, and CloudFormation's execution role, which resolves the
 *   secret into CloudFront's origin header at deploy time), so it is its own key: neither reader
 *   can ever Decrypt the dedup or challenge secret.
 *
 * The roles live here, next to the key policies that name them, so a certifier reads the whole
 * separation of duties in one file; the Compute stack attaches each function to its role.
 */
export class KeysStack extends Stack {
  readonly dataKey: kms.Key;
  /** Encrypts the export bucket; its key policy names the export readers. */
  readonly exportKey: kms.Key;
  readonly secretsKey: kms.Key;
  readonly storageKey: kms.Key;
  readonly originKey: kms.Key;
  readonly roles: FunctionRoles;

  constructor(scope: Construct, id: string, props: KeysStackProps) {
    super(scope, id, props);
    const { initiativeId } = props;

    // Created first so the role policies below can name it; its policy follows the roles.
    this.dataKey = new kms.Key(this, 'StatementDataKey', {
      description: `Envelope key of the statements of support of initiative ${initiativeId}. Scheduling its deletion destroys every statement.`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument(),
    });
    this.exportKey = new kms.Key(this, 'ExportKey', {
      description: `Encrypts the exports of initiative ${initiativeId} for the national authorities; only its named readers may use it.`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument(),
    });

    /**
     * A role that works only from its own function. `lambda:SourceFunctionArn` is in the request
     * context of every call the function's code makes, and of no call made with the same role
     * from anywhere else: a new function given this role (by anyone allowed to pass it), or the
     * role's credentials copied out of the function. IAM reads the key in identity policies only
     * (not in key or secret policies), so the role itself carries the deny, and it overrides every
     * allow, those of the key policies included.
     */
    const lambdaRole = (serves: keyof FunctionRoles, roleId: string, description: string) => {
      const functionArn = this.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName(props.deploymentName, serves),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const elsewhere = { ArnNotEquals: { 'lambda:SourceFunctionArn': functionArn } };
      const role = new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description,
      });
      // A policy of its own, not inline: the key policies name the role, and the role's deny names
      // the keys, which inside one role resource would be a circular dependency.
      new iam.Policy(this, `${roleId}OnlyFromItsFunction`, {
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            sid: 'NothingButFromItsFunction',
            effect: iam.Effect.DENY,
            notActions: [...LAMBDA_SERVICE_ACTIONS, ...(USABLE_OUTSIDE_THE_FUNCTION[serves] ?? [])],
            resources: ['*'],
            conditions: elsewhere,
          }),
          new iam.PolicyStatement({
            sid: 'NoStatementOrExportKeyButFromItsFunction',
            effect: iam.Effect.DENY,
            actions: ['kms:*'],
            resources: [this.dataKey.keyArn, this.exportKey.keyArn],
            // S3 uses the export key on the caller's behalf (SSE-KMS): that call is not the
            // function's own, and was only possible after a GetObject/PutObject the first
            // statement already confines to the function.
            conditions: { ...elsewhere, BoolIfExists: { 'aws:ViaAWSService': 'false' } },
          }),
        ],
      });
      return role;
    };
    this.roles = {
      getInitiative: lambdaRole(
        'getInitiative',
        'GetInitiativeRole',
        'GET /api/initiative: reads the initiative item.',
      ),
      getProgress: lambdaRole(
        'getProgress',
        'GetProgressRole',
        'GET /api/progress: queries the counter shards.',
      ),
      getChallenge: lambdaRole(
        'getChallenge',
        'GetChallengeRole',
        'GET /api/challenge: reads the challenge secret.',
      ),
      submitStatement: lambdaRole(
        'submitStatement',
        'SubmitStatementRole',
        'POST /api/statements: stores statements; may GenerateDataKey, never Decrypt.',
      ),
      getMe: lambdaRole('getMe', 'GetMeRole', 'GET /api/admin/me: reads the verified claims only.'),
      getAdminInitiative: lambdaRole(
        'getAdminInitiative',
        'GetAdminInitiativeRole',
        'GET /api/admin/initiative: reads the initiative item.',
      ),
      updateInitiative: lambdaRole(
        'updateInitiative',
        'UpdateInitiativeRole',
        'PUT /api/admin/initiative: writes the initiative item.',
      ),
      goLive: lambdaRole(
        'goLive',
        'GoLiveRole',
        'POST /api/admin/go-live: writes the initiative item, deletes the test data (keys only).',
      ),
      setCollection: lambdaRole(
        'setCollection',
        'SetCollectionRole',
        'POST /api/admin/collection: writes the initiative item.',
      ),
      recordSubmission: lambdaRole(
        'recordSubmission',
        'RecordSubmissionRole',
        'POST /api/admin/submission: writes the initiative item.',
      ),
      getDashboard: lambdaRole(
        'getDashboard',
        'GetDashboardRole',
        'GET /api/admin/dashboard: reads the initiative item and the counters.',
      ),
      getAudit: lambdaRole('getAudit', 'GetAuditRole', 'GET /api/admin/audit: reads the audit trail.'),
      verifyOrigin: lambdaRole(
        'verifyOrigin',
        'VerifyOriginRole',
        'Authorizer of the citizen routes: reads the origin-verification secret only.',
      ),
      requestExport: lambdaRole(
        'requestExport',
        'RequestExportRole',
        'POST /api/admin/exports: stores a request.',
      ),
      listExports: lambdaRole('listExports', 'ListExportsRole', 'GET /api/admin/exports: reads export jobs.'),
      getExport: lambdaRole(
        'getExport',
        'GetExportRole',
        'GET /api/admin/exports/{id}: reads an export job.',
      ),
      approveExport: lambdaRole(
        'approveExport',
        'ApproveExportRole',
        'POST /api/admin/exports/{id}/approve: approves and starts the export functions.',
      ),
      createExportDownload: lambdaRole(
        'createExportDownload',
        'CreateExportDownloadRole',
        'POST /api/admin/exports/{id}/downloads: presigns links to export files.',
      ),
      requestEmailExport: lambdaRole(
        'requestEmailExport',
        'RequestEmailExportRole',
        'POST /api/admin/email-exports: stores a request.',
      ),
      exportStatements: lambdaRole(
        'exportStatements',
        'ExportStatementsRole',
        'Export to national authorities: may Decrypt statements.',
      ),
      exportEmails: lambdaRole(
        'exportEmails',
        'ExportEmailsRole',
        'Export of the e-mail addresses given with consent: may Decrypt e-mail data keys only.',
      ),
      withdrawStatement: lambdaRole(
        'withdrawStatement',
        'WithdrawStatementRole',
        'POST /api/withdrawals: deletes a statement by receipt; no key use.',
      ),
      adminWithdrawStatement: lambdaRole(
        'adminWithdrawStatement',
        'AdminWithdrawStatementRole',
        'POST /api/admin/withdrawals: deletes a statement by receipt; no key use.',
      ),
      getRetention: lambdaRole(
        'getRetention',
        'GetRetentionRole',
        "GET /api/admin/retention: reads the destruction job's record.",
      ),
      runRetention: lambdaRole(
        'runRetention',
        'RunRetentionRole',
        'Destruction job: deletes personal items and export files, then schedules the deletion of the statement key.',
      ),
    };
    // A withdrawal finds a statement by its receipt and deletes it: it never reads one.
    const readers = [this.roles.exportStatements];
    const emailReaders = [this.roles.exportEmails];

    const admin = new iam.PolicyStatement({
      sid: 'KeyAdministrationWithoutCryptographicUse',
      principals: [new iam.AccountRootPrincipal()],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    });

    /** A key-policy statement refusing Decrypt to every principal but `roles`, whatever IAM allows them. */
    const denyDecryptToAllBut = (sid: string, roles: iam.Role[]) =>
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncrypt*'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': roles.map((r) => r.roleArn) } },
      });

    const initiativeCondition = {
      [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: initiativeId,
    };
    const onlyContextKeys = {
      'ForAllValues:StringEquals': {
        'kms:EncryptionContextKeys': [ENCRYPTION_CONTEXT.initiativeKey, ENCRYPTION_CONTEXT.purposeKey],
      },
    };

    for (const statement of [
      admin,
      new iam.PolicyStatement({
        sid: 'SubmitMayOnlyGenerateDataKeys',
        principals: [this.roles.submitStatement],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            ...initiativeCondition,
            [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: [
              ENCRYPTION_CONTEXT.statementPurpose,
              ENCRYPTION_CONTEXT.emailPurpose,
            ],
          },
          ...onlyContextKeys,
        },
      }),
      new iam.PolicyStatement({
        sid: 'ReadersMayDecryptStatementDataKeys',
        principals: readers,
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            ...initiativeCondition,
            [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: ENCRYPTION_CONTEXT.statementPurpose,
          },
          ...onlyContextKeys,
        },
      }),
      new iam.PolicyStatement({
        sid: 'EmailExportMayDecryptEmailDataKeys',
        principals: emailReaders,
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            ...initiativeCondition,
            [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: ENCRYPTION_CONTEXT.emailPurpose,
          },
          ...onlyContextKeys,
        },
      }),
      denyDecryptToAllBut('DenyDecryptToEveryoneElse', [...readers, ...emailReaders]),
      // Crypto-shredding at the legal deadline, after the destruction certificate: the job
      // schedules the key's deletion (the shortest window, 7 days) and reads its state to resume.
      new iam.PolicyStatement({
        sid: 'DestructionJobMayScheduleTheKeyDeletion',
        principals: [this.roles.runRetention],
        actions: ['kms:ScheduleKeyDeletion', 'kms:DescribeKey'],
        resources: ['*'],
      }),
    ]) {
      this.dataKey.addToResourcePolicy(statement);
    }
    this.dataKey.addAlias(`alias/${id}/statement-data`);

    // The export bucket's own key: its readers are named here, and nobody else may decrypt an
    // export, the account's administrators included. S3 calls KMS on the reader's behalf: for the
    // export functions, which write the files, and for the download links, which act with the
    // download route's role.
    const exportWriters = [this.roles.exportStatements, this.roles.exportEmails];
    const exportReaders = [...exportWriters, this.roles.createExportDownload];
    const s3 = `s3.${this.region}.amazonaws.com`;
    for (const statement of [
      admin,
      new iam.PolicyStatement({
        sid: 'ExportWritersMayUseTheKeyThroughS3',
        principals: exportWriters,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': s3 } },
      }),
      new iam.PolicyStatement({
        sid: 'DownloadLinksMayDecryptThroughS3',
        principals: [this.roles.createExportDownload],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': s3 } },
      }),
      denyDecryptToAllBut('DenyDecryptToEveryoneButTheExportReaders', exportReaders),
    ]) {
      this.exportKey.addToResourcePolicy(statement);
    }
    this.exportKey.addAlias(`alias/${id}/exports`);

    /**
     * A key usable only through Secrets Manager: the account may encrypt secrets with it there,
     * the named readers may decrypt there, and an explicit deny refuses Decrypt anywhere else.
     */
    const secretsManager = `secretsmanager.${this.region}.amazonaws.com`;
    const secretsManagerOnlyKey = (
      keyId: string,
      alias: string,
      description: string,
      readersSid: string,
      readers: iam.IPrincipal[],
    ) => {
      const key = new kms.Key(this, keyId, {
        description,
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
        removalPolicy: RemovalPolicy.RETAIN,
        policy: new iam.PolicyDocument({
          statements: [
            admin,
            new iam.PolicyStatement({
              sid: 'SecretsManagerMayEncryptForTheAccount',
              principals: [new iam.AccountRootPrincipal()],
              actions: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
              resources: ['*'],
              conditions: {
                StringEquals: { 'kms:ViaService': secretsManager, 'kms:CallerAccount': this.account },
              },
            }),
            new iam.PolicyStatement({
              sid: readersSid,
              principals: readers,
              actions: ['kms:Decrypt'],
              resources: ['*'],
              conditions: { StringEquals: { 'kms:ViaService': secretsManager } },
            }),
            new iam.PolicyStatement({
              sid: 'DenyDecryptOutsideSecretsManager',
              effect: iam.Effect.DENY,
              principals: [new iam.AnyPrincipal()],
              actions: ['kms:Decrypt', 'kms:ReEncrypt*'],
              resources: ['*'],
              conditions: { StringNotEquals: { 'kms:ViaService': secretsManager } },
            }),
          ],
        }),
      });
      key.addAlias(`alias/${id}/${alias}`);
      return key;
    };

    this.secretsKey = secretsManagerOnlyKey(
      'SecretsKey',
      'secrets',
      'Encrypts the dedup and challenge secrets; usable only through Secrets Manager.',
      'SecretReadersMayDecryptThroughSecretsManager',
      [this.roles.submitStatement, this.roles.getChallenge, this.roles.withdrawStatement],
    );

    // Its own key, with its own two readers: CloudFormation's execution role must decrypt
    // (through Secrets Manager only) to resolve the dynamic reference that puts the value into
    // CloudFront's origin header, and must never be able to decrypt the other secrets.
    this.originKey = secretsManagerOnlyKey(
      'OriginVerifyKey',
      'origin-verify',
      'Encrypts the origin-verification secret (CloudFront -> API); usable only through Secrets Manager.',
      'OriginReadersMayDecryptThroughSecretsManager',
      [this.roles.verifyOrigin, new iam.ArnPrincipal(cloudFormationExecutionRoleArn(this))],
    );

    this.storageKey = new kms.Key(this, 'StorageKey', {
      description: 'Encryption at rest of the table, the export bucket and the alarm topic.',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.storageKey.addAlias(`alias/${id}/storage`);
    // CloudWatch alarms and EventBridge publish to the encrypted alarm topic.
    this.storageKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmPublishersMayUseTheKey',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
  }
}
