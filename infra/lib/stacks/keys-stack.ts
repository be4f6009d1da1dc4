import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
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
}

/** The execution roles of the functions, one per function, named by the key policies. */
export interface FunctionRoles {
  readonly getInitiative: iam.Role;
  readonly getProgress: iam.Role;
  readonly getChallenge: iam.Role;
  readonly submitStatement: iam.Role;
  /** GET /api/admin/me: reads the verified claims only. */
  readonly getMe: iam.Role;
  /** The Lambda authorizer of the citizen routes: reads the origin-verification secret only. */
  readonly verifyOrigin: iam.Role;
  /** Export of statements for the national authorities (functions arrive in a later issue). */
  readonly exportStatements: iam.Role;
  /** Withdrawal of statements (functions arrive in a later issue). */
  readonly withdrawStatements: iam.Role;
}

/**
 * Keys and the principals that may use them (stateful).
 *
 * - `dataKey` issues the envelope data keys of statements and e-mail addresses. Its key policy
 *   lets the submit role only GenerateDataKey, and only the export and withdrawal roles Decrypt,
 *   each with an encryption context naming this initiative and the purpose. An explicit deny
 *   refuses Decrypt to everyone else. Scheduling its deletion destroys every statement
 *   (crypto-shredding, docs/architecture.md).
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
  readonly secretsKey: kms.Key;
  readonly storageKey: kms.Key;
  readonly originKey: kms.Key;
  readonly roles: FunctionRoles;

  constructor(scope: Construct, id: string, props: KeysStackProps) {
    super(scope, id, props);
    const { initiativeId } = props;

    const lambdaRole = (roleId: string, description: string) =>
      new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description,
      });
    this.roles = {
      getInitiative: lambdaRole('GetInitiativeRole', 'GET /api/initiative: reads the initiative item.'),
      getProgress: lambdaRole('GetProgressRole', 'GET /api/progress: queries the counter shards.'),
      getChallenge: lambdaRole('GetChallengeRole', 'GET /api/challenge: reads the challenge secret.'),
      submitStatement: lambdaRole(
        'SubmitStatementRole',
        'POST /api/statements: stores statements; may GenerateDataKey, never Decrypt.',
      ),
      getMe: lambdaRole('GetMeRole', 'GET /api/admin/me: reads the verified claims only.'),
      verifyOrigin: lambdaRole(
        'VerifyOriginRole',
        'Authorizer of the citizen routes: reads the origin-verification secret only.',
      ),
      exportStatements: lambdaRole(
        'ExportStatementsRole',
        'Export to national authorities: may Decrypt statements.',
      ),
      withdrawStatements: lambdaRole(
        'WithdrawStatementsRole',
        'Withdrawal of statements: may Decrypt statements.',
      ),
    };
    const readers = [this.roles.exportStatements, this.roles.withdrawStatements];

    const admin = new iam.PolicyStatement({
      sid: 'KeyAdministrationWithoutCryptographicUse',
      principals: [new iam.AccountRootPrincipal()],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    });

    const initiativeCondition = {
      [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: initiativeId,
    };
    const onlyContextKeys = {
      'ForAllValues:StringEquals': {
        'kms:EncryptionContextKeys': [ENCRYPTION_CONTEXT.initiativeKey, ENCRYPTION_CONTEXT.purposeKey],
      },
    };

    this.dataKey = new kms.Key(this, 'StatementDataKey', {
      description: `Envelope key of the statements of support of initiative ${initiativeId}. Scheduling its deletion destroys every statement.`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
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
                [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]:
                  ENCRYPTION_CONTEXT.statementPurpose,
              },
              ...onlyContextKeys,
            },
          }),
          new iam.PolicyStatement({
            sid: 'DenyDecryptToEveryoneElse',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['kms:Decrypt', 'kms:ReEncrypt*'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': readers.map((r) => r.roleArn) } },
          }),
        ],
      }),
    });
    this.dataKey.addAlias(`alias/${id}/statement-data`);

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
      [this.roles.submitStatement, this.roles.getChallenge],
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
