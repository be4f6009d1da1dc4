import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCAN_ATTRIBUTES } from '@ocs/functions/adapters/table-keys';
import { ENV } from '@ocs/functions/config/env-names';
import { REPO_ROOT } from '@ocs/infra/config';
import { handlerEntry } from '@ocs/infra/constructs/ocs-function';
import { exportEntry } from '@ocs/infra/stacks/compute-stack';
import { ROUTES } from '@ocs/shared/contract/routes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  iamStatements,
  resourcesOf,
  type Statement,
  SYNTH_TIMEOUT,
  type Synthesised,
  synthOcs,
} from './support';

/** Field names of the statement and e-mail (docs/citizen-api.md) that must never appear in configuration. */
const PERSONAL_DATA_FIELDS = [
  'firstNames',
  'familyNames',
  'dateOfBirth',
  'street',
  'streetNumber',
  'postalCode',
  'city',
  'countryOfResidence',
  'documentType',
  'documentNumber',
  'email',
  'nationality',
];
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

type Fn = { Properties: Record<string, unknown> };
let synth: Synthesised;
let functions: [string, Fn][];
const fn = (prefix: string) => {
  const found = functions.find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`function ${prefix} not found`);
  return found[1];
};
const envOf = (f: Fn) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

beforeAll(() => {
  // The real handler entries, bundled by the local esbuild: what deploys is what this tests.
  synth = synthOcs({ bundle: true });
  functions = resourcesOf(synth.templates.compute, 'AWS::Lambda::Function');
}, SYNTH_TIMEOUT);

describe('Compute stack: every function', () => {
  it('bundles from the real handler entries of the functions workspace (five citizen handlers, the organiser routes, one authorizer, two export functions, the destruction job)', () => {
    for (const name of [
      'get-initiative',
      'get-progress',
      'get-challenge',
      'submit-statement',
      'withdraw-statement',
      'get-me',
      'get-admin-initiative',
      'update-initiative',
      'go-live',
      'set-collection',
      'record-submission',
      'get-dashboard',
      'get-audit',
      'request-export',
      'list-exports',
      'get-export',
      'approve-export',
      'create-export-download',
      'request-email-export',
      'admin-withdraw-statement',
      'get-retention',
      'verify-origin',
    ]) {
      expect(existsSync(handlerEntry(name)), name).toBe(true);
    }
    for (const name of ['run-export-handler', 'run-email-export-handler']) {
      expect(existsSync(exportEntry(name)), name).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'functions', 'src', 'retention', 'run-retention-handler.ts'))).toBe(
      true,
    );
    // One per route of the table, the origin authorizer, the two export functions, the destruction job.
    expect(functions).toHaveLength(ROUTES.length + 4);
  });

  it('runs nodejs24.x on arm64', () => {
    for (const [id, f] of functions) {
      expect(f.Properties.Runtime, id).toBe('nodejs24.x');
      expect(f.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('ships an ESM bundle (index.mjs exporting handler) with its source map, and enables source maps at run time', () => {
    for (const [id, f] of functions) {
      expect(f.Properties.Handler, id).toBe('index.handler');
      const key = (f.Properties.Code as { S3Key: string }).S3Key;
      const dir = join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(bundle, id).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(bundle, id).toContain('//# sourceMappingURL=index.mjs.map');
      expect(existsSync(join(dir, 'index.mjs.map')), id).toBe(true);
      // The export functions also keep V8's young generation small (docs/export-format.md).
      expect(envOf(f).NODE_OPTIONS, id).toBe(
        id.startsWith('Export') ? '--enable-source-maps --max-semi-space-size=4' : '--enable-source-maps',
      );
    }
  });

  it('logs as JSON to its own log group, kept for a bounded time', () => {
    const logGroups = Object.fromEntries(resourcesOf(synth.templates.compute, 'AWS::Logs::LogGroup'));
    for (const [id, f] of functions) {
      const config = f.Properties.LoggingConfig as { LogGroup: { Ref: string }; LogFormat: string };
      expect(config.LogFormat, id).toBe('JSON');
      expect(logGroups[config.LogGroup.Ref]?.Properties.RetentionInDays, id).toBe(90);
    }
  });

  it('sets the Powertools service name and log level, and runtime aws', () => {
    for (const [id, f] of functions) {
      expect(envOf(f), id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'ocs',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [ENV.runtime]: 'aws',
        [ENV.initiativeId]: 'demo-initiative',
      });
    }
  });

  it('has no personal-data field in any environment variable name or value', () => {
    const forbidden = PERSONAL_DATA_FIELDS.map(squash);
    // The one variable that names the e-mail export function: a function's name, not a field.
    const functionNames = new Set<string>([ENV.emailExportFunction]);
    for (const [id, f] of functions) {
      for (const [name, value] of Object.entries(envOf(f))) {
        if (functionNames.has(name)) continue;
        const text = squash(`${name} ${typeof value === 'string' ? value : ''}`);
        for (const field of forbidden)
          expect(text.includes(field), `${id} ${name} mentions ${field}`).toBe(false);
      }
    }
  });

  it('passes secrets by ARN only: every secret variable is a reference, never a literal or a resolved value', () => {
    for (const [id, f] of functions) {
      for (const name of [ENV.dedupSecretId, ENV.challengeSecretId, ENV.originSecretId]) {
        const value = envOf(f)[name];
        if (value === undefined) continue;
        expect(value, `${id} ${name}`).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Secret/) });
      }
      for (const [name, value] of Object.entries(envOf(f))) {
        if (typeof value === 'string' && name !== 'NODE_OPTIONS') {
          expect(value.length, `${id}: ${value}`).toBeLessThan(40);
        }
      }
    }
  });

  it('has its own execution role (one role per function)', () => {
    const roles = functions.map(([, f]) => JSON.stringify(f.Properties.Role));
    expect(new Set(roles).size).toBe(functions.length);
  });
});

describe('Compute stack: least privilege', () => {
  // What a role is allowed (each role's deny-unless-from-its-function policy is tested apart).
  const actionsOfRole = (role: string) =>
    iamStatements(synth)
      .filter(({ policy }) => JSON.stringify(policy.Properties.Roles).includes(role))
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ statement }) => [statement.Action].flat())
      .sort();

  it('gives get-initiative GetItem and nothing else on the table', () => {
    expect(actionsOfRole('GetInitiativeRole')).toEqual([
      'dynamodb:GetItem',
      'kms:Decrypt',
      'kms:DescribeKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(Object.keys(envOf(fn('GetInitiative')))).not.toContain(ENV.dataKeyId);
  });

  it('gives get-progress GetItem (the initiative) and Query (the counters) and nothing else on the table', () => {
    expect(actionsOfRole('GetProgressRole')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:DescribeKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('gives get-challenge the challenge secret only, and no table access', () => {
    expect(actionsOfRole('GetChallengeRole')).toEqual([
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ]);
    expect(envOf(fn('GetChallenge'))[ENV.dedupSecretId]).toBeUndefined();
  });

  it('gives submit the statement transaction, GenerateDataKey on the envelope key, and both secrets', () => {
    expect(actionsOfRole('SubmitStatementRole')).toEqual([
      // On statements and e-mails (their condition), and on the initiative (test mode), in the transaction.
      'dynamodb:ConditionCheckItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      // Alone on challenges, data keys and duplicate answers; in the transaction on statements and e-mails.
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ]);
    expect(Object.keys(envOf(fn('SubmitStatement'))).sort()).toEqual(
      [
        ENV.runtime,
        ENV.initiativeId,
        ENV.tableName,
        ENV.dataKeyId,
        ENV.dedupSecretId,
        ENV.challengeSecretId,
        ENV.counterShards,
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(envOf(fn('SubmitStatement'))[ENV.counterShards]).toBe('16');
  });

  it('gives the organiser functions the table only, through their scopes: no key, no secret', () => {
    const tableOnly = [
      'dynamodb:',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:',
    ];
    for (const role of [
      'GetAdminInitiativeRole',
      'UpdateInitiativeRole',
      'GoLiveRole',
      'SetCollectionRole',
      'RecordSubmissionRole',
      'GetDashboardRole',
      'GetAuditRole',
    ]) {
      for (const action of actionsOfRole(role)) {
        expect(
          tableOnly.some((allowed) => action.startsWith(allowed)),
          `${role}: ${action}`,
        ).toBe(true);
      }
    }
    for (const name of ['GetAdminInitiative', 'GoLive', 'GetDashboard', 'GetAudit']) {
      const env = Object.keys(envOf(fn(name)));
      for (const forbidden of [ENV.dataKeyId, ENV.dedupSecretId, ENV.challengeSecretId, ENV.originSecretId]) {
        expect(env, name).not.toContain(forbidden);
      }
    }
    expect(envOf(fn('GetDashboard'))[ENV.counterShards]).toBe('16');
    // Every kms action of theirs is the table's at-rest key, through DynamoDB only.
    const kmsStatements = iamStatements(synth).filter(
      ({ policy, statement }) =>
        /GoLiveRole|GetDashboardRole|UpdateInitiativeRole/.test(JSON.stringify(policy.Properties.Roles)) &&
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Action ?? '').includes('kms:'),
    );
    for (const { statement } of kmsStatements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' },
      });
    }
  });

  it('gives the withdrawal functions the table only (and the citizen one the challenge secret): never the statement key', () => {
    for (const role of ['WithdrawStatementRole', 'AdminWithdrawStatementRole']) {
      for (const action of actionsOfRole(role)) {
        expect(
          ['dynamodb:', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'logs:'].some(
            (allowed) => action.startsWith(allowed),
          ) ||
            (role === 'WithdrawStatementRole' && action === 'secretsmanager:GetSecretValue'),
          `${role}: ${action}`,
        ).toBe(true);
      }
    }
    expect(Object.keys(envOf(fn('WithdrawStatement'))).sort()).toEqual(
      [
        ENV.runtime,
        ENV.initiativeId,
        ENV.tableName,
        ENV.challengeSecretId,
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    for (const name of ['WithdrawStatement', 'AdminWithdrawStatement']) {
      expect(Object.keys(envOf(fn(name))), name).not.toContain(ENV.dataKeyId);
    }
    // Their KMS actions are the table's at-rest key (through DynamoDB) or the secrets key (through Secrets Manager).
    for (const { statement } of iamStatements(synth).filter(
      ({ policy, statement }) =>
        /WithdrawStatementRole/.test(JSON.stringify(policy.Properties.Roles)) &&
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Action ?? '').includes('kms:'),
    )) {
      expect(JSON.stringify(statement.Condition)).toMatch(/kms:ViaService/);
    }
  });

  it('gives the destruction job the table (keys-only scan, batch deletes) and the statement key deletion; the export bucket names it in its own policy', () => {
    expect(actionsOfRole('RunRetentionRole')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:ScheduleKeyDeletion',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    const statements = iamStatements(synth)
      .filter(({ policy }) => JSON.stringify(policy.Properties.Roles).includes('RunRetentionRole'))
      .map(({ statement }) => statement);
    const keyDeletion = statements.find((st) => [st.Action].flat().includes('kms:ScheduleKeyDeletion'));
    expect(JSON.stringify(keyDeletion?.Resource)).toMatch(/StatementDataKey/);
    const job = fn('RunRetention');
    expect(Object.keys(envOf(job)).sort()).toEqual(
      [
        ENV.runtime,
        ENV.initiativeId,
        ENV.tableName,
        ENV.dataKeyId,
        ENV.exportBucket,
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(job.Properties.Timeout).toBe(900);
    // One run at a time is the job's lease; reserved concurrency would not deploy in a new account.
    expect(job.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('runs the destruction job every day on a schedule, with Lambda retrying a failed or stopped run', () => {
    const rules = resourcesOf(synth.templates.compute, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.[1].Properties;
    expect(rule?.ScheduleExpression).toBe('cron(30 0 * * ? *)');
    expect(rule?.State ?? 'ENABLED').toBe('ENABLED');
    expect(JSON.stringify(rule?.Targets)).toMatch(/RunRetention/);
    const invokeConfig = resourcesOf(synth.templates.compute, 'AWS::Lambda::EventInvokeConfig').filter(
      ([, c]) => JSON.stringify(c.Properties.FunctionName).includes('RunRetention'),
    );
    expect(invokeConfig.map(([, c]) => c.Properties)).toEqual([
      expect.objectContaining({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 }),
    ]);
  });

  it('gives go-live a minute, for the deletion of the test data', () => {
    expect(fn('GoLive').Properties.Timeout).toBe(60);
  });

  it('gives the origin authorizer the origin secret (through Secrets Manager on its own key) and nothing else', () => {
    expect(actionsOfRole('VerifyOriginRole')).toEqual([
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ]);
    const statements = iamStatements(synth)
      .filter(({ policy }) => JSON.stringify(policy.Properties.Roles).includes('VerifyOriginRole'))
      .map(({ statement }) => statement);
    expect(statements.find((s) => s.Action === 'secretsmanager:GetSecretValue')?.Resource).toEqual({
      'Fn::ImportValue': expect.stringMatching(/OriginVerifySecret/),
    });
    expect(statements.find((s) => s.Action === 'kms:Decrypt')).toMatchObject({
      Resource: { 'Fn::ImportValue': expect.stringMatching(/OriginVerifyKey/) },
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
    });
    expect(Object.keys(envOf(fn('VerifyOrigin'))).sort()).toEqual(
      [
        ENV.runtime,
        ENV.initiativeId,
        ENV.originSecretId,
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
  });

  it('gives no citizen function the origin secret', () => {
    for (const name of [
      'GetInitiative',
      'GetProgress',
      'GetChallenge',
      'SubmitStatement',
      'WithdrawStatement',
    ]) {
      expect(Object.keys(envOf(fn(name))), name).not.toContain(ENV.originSecretId);
    }
  });

  it('scopes every function permission to a named resource (no "*")', () => {
    for (const { statement, logicalId } of iamStatements(synth).filter(({ stack }) => stack === 'compute')) {
      expect(statement.Resource, logicalId).not.toBe('*');
      expect(JSON.stringify(statement.Action), logicalId).not.toMatch(/:\*"/);
    }
  });

  it('reserves concurrency for submit, protecting the KMS quota and the table', () => {
    expect(fn('SubmitStatement').Properties.ReservedConcurrentExecutions).toBe(100);
  });
});

describe('Compute stack: exports', () => {
  const statementsOf = (role: string) =>
    iamStatements(synth)
      .filter(({ policy }) => JSON.stringify(policy.Properties.Roles).includes(role))
      .map(({ statement }) => statement)
      .filter((st) => st.Effect === 'Allow');
  const actionsOfRole = (role: string) =>
    [...new Set(statementsOf(role).flatMap((st) => [st.Action].flat()))].sort();
  const EXPORT_ROUTES = [
    'RequestExport',
    'RequestEmailExport',
    'ListExports',
    'GetExport',
    'ApproveExport',
    'CreateExportDownload',
  ];

  it('runs each export as its own function: 15 minutes, more than one vCPU, /tmp for the spill, no retry, a small young generation', () => {
    for (const name of ['ExportStatements', 'ExportEmails']) {
      const f = fn(name).Properties;
      expect(f.Timeout, name).toBe(900);
      expect(Number(f.MemorySize), name).toBeGreaterThanOrEqual(1769);
      expect(f.EphemeralStorage, name).toEqual({ Size: 2048 });
      expect(f.ReservedConcurrentExecutions, name).toBe(2);
      expect(envOf(fn(name)).NODE_OPTIONS).toContain('--max-semi-space-size=4');
    }
    const invokeConfigs = resourcesOf(synth.templates.compute, 'AWS::Lambda::EventInvokeConfig').filter(
      ([, c]) => JSON.stringify(c.Properties.FunctionName).includes('Export'),
    );
    expect(invokeConfigs).toHaveLength(2);
    for (const [, config] of invokeConfigs) {
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 });
    }
  });

  it('lets the export functions Scan only the attributes they export, and write only their job and the audit trail', () => {
    for (const [role, attributes] of [
      ['ExportStatementsRole', SCAN_ATTRIBUTES.statements],
      ['ExportEmailsRole', SCAN_ATTRIBUTES.emails],
    ] as const) {
      const scans = statementsOf(role).filter((st) => [st.Action].flat().includes('dynamodb:Scan'));
      expect(scans, role).toHaveLength(1);
      expect(scans[0]?.Condition, role).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
        StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      });
      expect(actionsOfRole(role), role).not.toContain('lambda:InvokeFunction');
    }
    expect(SCAN_ATTRIBUTES.emails).not.toContain('statementId');
    expect(SCAN_ATTRIBUTES.statements).not.toContain('expiresAt');
  });

  it("names who may write, delete and read export files in the bucket's own policy, and in no identity policy", () => {
    const bucketPolicy = resourcesOf(synth.templates.data, 'AWS::S3::BucketPolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Bucket).includes('Exports'),
    );
    const statements =
      (bucketPolicy?.[1].Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ??
      [];
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
    const principals = (sid: string) =>
      [bySid(sid)?.Principal?.AWS]
        .flat()
        .map((p) => /FnGetAtt(\w+?Role)[0-9A-F]{8}/.exec(JSON.stringify(p))?.[1])
        .sort();
    expect(principals('ExportFunctionsWriteExportFiles')).toEqual([
      'ExportEmailsRole',
      'ExportStatementsRole',
    ]);
    expect([bySid('ExportFunctionsWriteExportFiles')?.Action].flat().sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:PutObject',
    ]);
    expect(principals('ExportRoutesDeleteFilesOfDeadRuns')).toEqual(['GetExportRole', 'ListExportsRole']);
    expect(bySid('ExportRoutesDeleteFilesOfDeadRuns')?.Action).toBe('s3:DeleteObject');
    expect(principals('DownloadLinksReadExportFiles')).toEqual(['CreateExportDownloadRole']);
    expect(bySid('DownloadLinksReadExportFiles')?.Action).toBe('s3:GetObject');
    for (const sid of [
      'ExportFunctionsWriteExportFiles',
      'ExportRoutesDeleteFilesOfDeadRuns',
      'DownloadLinksReadExportFiles',
    ]) {
      expect(JSON.stringify(bySid(sid)?.Resource), sid).toMatch(/\/exports\/\*"/);
    }
    expect(bySid('ListOneExportsFiles')?.Condition).toEqual({ StringLike: { 's3:prefix': ['exports/*'] } });
    // Only those roles reach export files (besides the deny of plain HTTP).
    const allowed = statements.filter((st) => st.Effect === 'Allow').flatMap((st) => [st.Action].flat());
    expect(allowed.filter((a) => a === 's3:GetObject')).toHaveLength(1);
    const identity = iamStatements(synth).filter(({ statement }) =>
      JSON.stringify(statement.Action ?? '').includes('"s3:'),
    );
    expect(identity.filter(({ stack }) => stack === 'compute')).toEqual([]);
    for (const name of ['ExportStatements', 'ExportEmails']) {
      expect(Object.keys(envOf(fn(name)))).toEqual(
        expect.arrayContaining([ENV.exportBucket, ENV.exportKeyId, ENV.dataKeyId, ENV.tableName]),
      );
    }
  });

  it('lets the approve function start the two export functions and nothing else', () => {
    const invoke = statementsOf('ApproveExportRole').filter((st) => st.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    const resources = JSON.stringify(invoke[0]?.Resource);
    expect(resources).toMatch(/ExportStatements/);
    expect(resources).toMatch(/ExportEmails/);
    expect(invoke[0]?.Resource as unknown[]).toHaveLength(2);
    for (const name of EXPORT_ROUTES.filter((n) => n !== 'ApproveExport')) {
      expect(actionsOfRole(`${name}Role`), name).not.toContain('lambda:InvokeFunction');
    }
    expect(envOf(fn('ApproveExport'))).toMatchObject({
      [ENV.exportFunction]: expect.anything(),
      [ENV.emailExportFunction]: expect.anything(),
    });
  });

  it('gives the download route the export jobs (read) and the audit trail, and no data key', () => {
    expect(actionsOfRole('CreateExportDownloadRole')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(Object.keys(envOf(fn('CreateExportDownload')))).toContain(ENV.exportBucket);
  });

  it('gives no export route a data key or the export key', () => {
    for (const name of EXPORT_ROUTES) {
      expect(Object.keys(envOf(fn(name))), name).not.toContain(ENV.dataKeyId);
      expect(Object.keys(envOf(fn(name))), name).not.toContain(ENV.exportKeyId);
    }
    for (const role of ['RequestExportRole', 'RequestEmailExportRole', 'ApproveExportRole']) {
      expect(Object.keys(envOf(fn(role.replace(/Role$/, '')))), role).not.toContain(ENV.exportBucket);
    }
  });
});
