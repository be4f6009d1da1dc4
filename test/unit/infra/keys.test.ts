import { ENCRYPTION_CONTEXT } from '@ocs/functions/config/env-names';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allTemplates,
  iamStatements,
  keyLogicalIds,
  keyPolicy,
  type Statement,
  SYNTH_TIMEOUT,
  type Synthesised,
  synthOcs,
} from './support';

const INITIATIVE = 'demo-initiative';
const CRYPTO_ACTIONS = /^kms:(Decrypt|Encrypt|ReEncrypt|GenerateDataKey|\*)/;

let synth: Synthesised;
let ids: ReturnType<typeof keyLogicalIds>;
const roleOf = (logicalIdPrefix: string) => ({
  'Fn::GetAtt': [expect.stringMatching(`^${logicalIdPrefix}`), 'Arn'],
});
const actionsOf = (s: Statement) => [s.Action].flat();
const principalsOf = (s: Statement) => [s.Principal?.AWS].flat().filter(Boolean);
const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value).includes(logicalId);

beforeAll(() => {
  synth = synthOcs();
  ids = keyLogicalIds(synth);
}, SYNTH_TIMEOUT);

describe('Keys stack: customer-managed keys', () => {
  it('enables yearly rotation on every key and retains each one for 30 days after deletion is scheduled', () => {
    const keys = synth.templates.keys.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(5);
    for (const key of Object.values(keys)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.PendingWindowInDays).toBe(30);
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('gives the account key administration on the statement, secrets and origin keys, but no cryptographic use', () => {
    for (const id of [ids.dataKey, ids.secretsKey, ids.originKey]) {
      const admin = keyPolicy(synth, id).find((s) => s.Sid === 'KeyAdministrationWithoutCryptographicUse');
      expect(JSON.stringify(admin?.Principal)).toContain(':root');
      expect(actionsOf(admin as Statement).filter((a) => CRYPTO_ACTIONS.test(a))).toEqual([]);
      expect(actionsOf(admin as Statement)).toContain('kms:ScheduleKeyDeletion');
    }
  });

  it('lets the submit role only GenerateDataKey on the statement key, with the initiative and purpose in the encryption context', () => {
    const submitStatements = keyPolicy(synth, ids.dataKey).filter(
      (s) => s.Effect === 'Allow' && principalsOf(s).some((p) => refersTo(p, 'SubmitStatementRole')),
    );
    expect(submitStatements).toHaveLength(1);
    expect(submitStatements[0]).toMatchObject({
      Action: 'kms:GenerateDataKey',
      Condition: {
        StringEquals: {
          [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: INITIATIVE,
          [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: [
            ENCRYPTION_CONTEXT.statementPurpose,
            ENCRYPTION_CONTEXT.emailPurpose,
          ],
        },
        'ForAllValues:StringEquals': {
          'kms:EncryptionContextKeys': [ENCRYPTION_CONTEXT.initiativeKey, ENCRYPTION_CONTEXT.purposeKey],
        },
      },
    });
  });

  it('lets only the export role Decrypt statement data keys, with the statement-data context (a withdrawal never reads one)', () => {
    const decryptAllows = keyPolicy(synth, ids.dataKey).filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^kms:(Decrypt|\*)$/.test(a)),
    );
    const purposeOf = (s: Statement) =>
      s.Condition?.StringEquals?.[`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`];
    // Two statements: the statements' readers, and the e-mail export under the e-mails' purpose only.
    expect(decryptAllows.map(purposeOf).sort()).toEqual([
      ENCRYPTION_CONTEXT.emailPurpose,
      ENCRYPTION_CONTEXT.statementPurpose,
    ]);
    const statements = decryptAllows.find((s) => purposeOf(s) === ENCRYPTION_CONTEXT.statementPurpose);
    // A withdrawal finds a statement by its receipt and deletes it: it never reads one.
    expect(principalsOf(statements as Statement)).toEqual([roleOf('ExportStatementsRole')]);
    expect(statements?.Condition).toMatchObject({
      StringEquals: { [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: INITIATIVE },
    });
  });

  it('lets the e-mail export role Decrypt only e-mail data keys (never a statement), with the e-mail-data context', () => {
    const emails = keyPolicy(synth, ids.dataKey).filter(
      (s) => s.Effect === 'Allow' && principalsOf(s).some((p) => refersTo(p, 'ExportEmailsRole')),
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: {
        StringEquals: {
          [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.initiativeKey}`]: INITIATIVE,
          [`kms:EncryptionContext:${ENCRYPTION_CONTEXT.purposeKey}`]: ENCRYPTION_CONTEXT.emailPurpose,
        },
        'ForAllValues:StringEquals': {
          'kms:EncryptionContextKeys': [ENCRYPTION_CONTEXT.initiativeKey, ENCRYPTION_CONTEXT.purposeKey],
        },
      },
    });
    expect(principalsOf(emails[0] as Statement)).toEqual([roleOf('ExportEmailsRole')]);
  });

  it('explicitly denies Decrypt of data keys to every principal but the two reader roles', () => {
    const deny = keyPolicy(synth, ids.dataKey).find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncrypt*'],
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': [roleOf('ExportStatementsRole'), roleOf('ExportEmailsRole')],
        },
      },
    });
  });

  it('lets the destruction job, and no other function role, schedule the deletion of the statement key', () => {
    const policy = keyPolicy(synth, ids.dataKey);
    const deletion = policy.filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^kms:(ScheduleKeyDeletion|\*)$/.test(a)),
    );
    // The account's key administration (alarmed on, CloudTrail) and the destruction job.
    expect(deletion.map((s) => s.Sid).sort()).toEqual([
      'DestructionJobMayScheduleTheKeyDeletion',
      'KeyAdministrationWithoutCryptographicUse',
    ]);
    const job = deletion.find((s) => s.Sid === 'DestructionJobMayScheduleTheKeyDeletion') as Statement;
    expect(principalsOf(job)).toEqual([roleOf('RunRetentionRole')]);
    expect(actionsOf(job).sort()).toEqual(['kms:DescribeKey', 'kms:ScheduleKeyDeletion']);
    // In IAM, only the job's role is allowed ScheduleKeyDeletion, on the statement key only.
    const iamAllows = iamStatements(synth).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        actionsOf(statement).some((a) => /ScheduleKeyDeletion|^kms:\*$/.test(a)),
    );
    expect(iamAllows.map(({ policy }) => JSON.stringify(policy.Properties.Roles))).toEqual([
      expect.stringContaining('RunRetentionRole'),
    ]);
    expect(refersTo(iamAllows[0]?.statement.Resource, ids.dataKey)).toBe(true);
    for (const id of [ids.secretsKey, ids.exportKey, ids.storageKey, ids.originKey]) {
      expect(JSON.stringify(keyPolicy(synth, id))).not.toContain('RunRetentionRole');
    }
  });

  it('grants kms:Decrypt on the statement key in no IAM policy of any stack (the key policy alone decides)', () => {
    const decryptOnDataKey = iamStatements(synth).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        refersTo(statement.Resource, ids.dataKey) &&
        actionsOf(statement).some((a) => /^kms:(Decrypt|ReEncrypt|\*)/.test(a)),
    );
    expect(decryptOnDataKey).toEqual([]);
  });

  it('uses a different key for the table at rest than for statement envelopes, so table readers never Decrypt envelopes', () => {
    const table = Object.values(synth.templates.data.findResources('AWS::DynamoDB::GlobalTable'))[0];
    expect(table?.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const sse = JSON.stringify(
      table?.Properties.Replicas.map((r: { SSESpecification: unknown }) => r.SSESpecification),
    );
    expect(sse).toContain(ids.storageKey);
    expect(sse).not.toContain(ids.dataKey);
  });
});

describe('Keys stack: the secrets key', () => {
  it('decrypts only through Secrets Manager, for the submit, challenge and citizen withdrawal roles only', () => {
    const statements = keyPolicy(synth, ids.secretsKey);
    const decrypt = statements.filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^kms:(Decrypt|\*)$/.test(a)),
    );
    expect(decrypt).toHaveLength(1);
    expect(principalsOf(decrypt[0] as Statement)).toEqual([
      roleOf('GetChallengeRole'),
      roleOf('SubmitStatementRole'),
      roleOf('WithdrawStatementRole'),
    ]);
    expect(decrypt[0]?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' },
    });
    expect(statements.find((s) => s.Sid === 'DenyDecryptOutsideSecretsManager')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
    });
  });

  it("limits the submit role's every kms:Decrypt to a service path (Secrets Manager or DynamoDB), never the statement key", () => {
    const submitDecrypts = iamStatements(synth).filter(
      ({ policy, statement }) =>
        refersTo(policy.Properties.Roles, 'SubmitStatementRole') &&
        actionsOf(statement).includes('kms:Decrypt'),
    );
    expect(submitDecrypts.length).toBeGreaterThan(0);
    for (const { statement } of submitDecrypts) {
      expect(refersTo(statement.Resource, ids.dataKey)).toBe(false);
      expect(statement.Condition?.StringEquals?.['kms:ViaService']).toMatch(
        /^(secretsmanager|dynamodb)\.eu-central-1\./,
      );
    }
  });
});

describe('Secrets stack', () => {
  const secretsBy = (prefix: RegExp) =>
    Object.entries(synth.templates.secrets.findResources('AWS::SecretsManager::Secret'))
      .filter(([id]) => prefix.test(id))
      .map(([, secret]) => secret);

  it('generates the dedup, challenge and origin secrets at deploy time (64 letters and digits), never a value', () => {
    const secrets = synth.templates.secrets.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(3);
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({
        PasswordLength: 64,
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
      expect(secret.Properties.SecretString).toBeUndefined();
    }
  });

  it('keeps both HMAC secrets under the secrets key, and retains them', () => {
    const hmac = secretsBy(/^(Dedup|Challenge)Secret/);
    expect(hmac).toHaveLength(2);
    for (const secret of hmac) {
      expect(JSON.stringify(secret.Properties.KmsKeyId)).toContain(ids.secretsKey);
      expect(secret.DeletionPolicy).toBe('Retain');
    }
  });

  it('keeps the origin-verification secret under its own key, never the secrets key', () => {
    const [origin, ...others] = secretsBy(/^OriginVerifySecret/);
    expect(others).toEqual([]);
    expect(JSON.stringify(origin?.Properties.KmsKeyId)).toContain(ids.originKey);
    expect(JSON.stringify(origin?.Properties.KmsKeyId)).not.toContain(ids.secretsKey);
  });

  it('refuses GetSecretValue on each secret to every principal but the functions that need it', () => {
    const policies = Object.values(
      synth.templates.secrets.findResources('AWS::SecretsManager::ResourcePolicy'),
    );
    expect(policies).toHaveLength(3);
    const readersBySecret = policies.map((p) => {
      const deny = p.Properties.ResourcePolicy.Statement[0] as Statement;
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'secretsmanager:GetSecretValue',
      });
      return JSON.stringify(deny.Condition);
    });
    expect(
      readersBySecret.some((r) => r.includes('SubmitStatementRole') && !r.includes('GetChallengeRole')),
    ).toBe(true);
    expect(
      readersBySecret.some((r) => r.includes('SubmitStatementRole') && r.includes('GetChallengeRole')),
    ).toBe(true);
  });

  it('puts no secret value in any template: no SecretString, and no dynamic reference but the origin header', () => {
    for (const [name, template] of Object.entries(allTemplates(synth))) {
      const json = JSON.stringify(template);
      expect(json, name).not.toMatch(/"SecretString"/);
      // The one reference, placed in CloudFront's origin header, is asserted in origin-verification.test.ts.
      expect(json.match(/\{\{resolve:secretsmanager/g) ?? [], name).toHaveLength(name === 'site' ? 1 : 0);
    }
  });
});

describe('Stateful stacks', () => {
  it('carry termination protection (keys, data, secrets)', () => {
    expect(synth.stacks.keys.terminationProtection).toBe(true);
    expect(synth.stacks.data.terminationProtection).toBe(true);
    expect(synth.stacks.secrets.terminationProtection).toBe(true);
  });
});
