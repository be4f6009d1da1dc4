import { posix } from 'node:path';
import { KEY_PREFIXES } from '@ocs/functions/adapters/table-keys';
import { AWS_CALL_BUDGET_MS, AWS_CLIENT_LIMITS } from '@ocs/functions/config/aws-client-limits';
import {
  HANDLER_MARGIN_MS,
  handlerEntry,
  MIN_FUNCTION_TIMEOUT_MS,
  OcsFunction,
} from '@ocs/infra/constructs/ocs-function';
import { CHANGE_ALARMS } from '@ocs/infra/stacks/operations-stack';
import { SECRET_WRITE_ACTIONS } from '@ocs/infra/stacks/secrets-stack';
import { TABLE_SCOPES } from '@ocs/infra/table-scopes';
import { ROUTES } from '@ocs/shared/contract/routes';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  iamStatements,
  keyLogicalIds,
  keyPolicy,
  resourcesOf,
  type Statement,
  SYNTH_TIMEOUT,
  type Synthesised,
  synthOcs,
} from './support';

let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs();
}, SYNTH_TIMEOUT);

type Transformation = { Priority: number; Type: string };
type ByteMatch = {
  FieldToMatch: Record<string, unknown>;
  PositionalConstraint: string;
  SearchString: string;
  TextTransformations: Transformation[];
};

/** What WAF does to a value for each transformation type the rules use (WAF developer guide). */
const TRANSFORM: Record<string, (value: string) => string> = {
  NONE: (v) => v,
  URL_DECODE: (v) =>
    v.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  NORMALIZE_PATH: (v) => posix.normalize(v),
  LOWERCASE: (v) => v.toLowerCase(),
};
const transformed = (value: string, transformations: Transformation[]) =>
  [...transformations]
    .sort((a, b) => a.Priority - b.Priority)
    .reduce((v, t) => {
      const apply = TRANSFORM[t.Type];
      if (!apply) throw new Error(`transformation ${t.Type} not simulated`);
      return apply(v);
    }, value);

/** Every byte-match statement on the URI path, anywhere in the web ACL's rules. */
function pathMatches(node: unknown, found: ByteMatch[] = []): ByteMatch[] {
  if (Array.isArray(node)) for (const item of node) pathMatches(item, found);
  else if (node && typeof node === 'object') {
    const match = (node as { ByteMatchStatement?: ByteMatch }).ByteMatchStatement;
    if (match?.FieldToMatch.UriPath !== undefined) found.push(match);
    for (const value of Object.values(node)) pathMatches(value, found);
  }
  return found;
}

describe('WAF path rules see decoded, normalised paths', () => {
  const acl = () => resourcesOf(synth.templates.edge, 'AWS::WAFv2::WebACL')[0]?.[1].Properties;

  it('has path rules for the API and the submit route', () => {
    expect(pathMatches(acl()).map((m) => m.SearchString)).toEqual(
      expect.arrayContaining(['/api/', '/api/statements']),
    );
  });

  it.each([
    '/api/%73tatements',
    '/%61pi/statements',
    '/api//statements',
    '/api/./statements',
    '/static/../api/statements',
    '/API/Statements',
    '/api%2Fstatements',
  ])('counts %s as the submit route, as API Gateway would route it', (hostile) => {
    const submit = pathMatches(acl()).filter((m) => m.SearchString === '/api/statements');
    expect(submit.length).toBeGreaterThan(0);
    for (const match of submit) {
      expect(match.PositionalConstraint).toBe('STARTS_WITH');
      expect(transformed(hostile, match.TextTransformations).startsWith(match.SearchString)).toBe(true);
    }
  });

  it('decodes before it normalises, so an encoded dot segment is resolved too', () => {
    for (const match of pathMatches(acl())) {
      const types = [...match.TextTransformations].sort((a, b) => a.Priority - b.Priority).map((t) => t.Type);
      expect(types.indexOf('URL_DECODE')).toBeGreaterThanOrEqual(0);
      expect(types.indexOf('URL_DECODE')).toBeLessThan(types.indexOf('NORMALIZE_PATH'));
      expect(transformed('/x/%2e%2e/api/', match.TextTransformations)).toBe('/api/');
    }
  });
});

/** A request as IAM sees it: the action and the condition keys that matter here. */
interface Request {
  readonly action: string;
  readonly leadingKeys?: string[];
  readonly enclosingOperation?: string;
  /** The attributes the request reads (`dynamodb:Attributes`) and its `Select`. */
  readonly attributes?: string[];
  readonly select?: string;
  /** A request on this index of the table (its ARN ends `/index/<name>`), not on the table itself. */
  readonly index?: string;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const asArray = (value: unknown) => [value].flat() as string[];

/** Evaluates the conditions the table grants use; any other operator fails the test loudly. */
function conditionsHold(condition: Statement['Condition'], request: Request): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const patterns = asArray(expected);
      if (operator === 'ForAllValues:StringLike' && key === 'dynamodb:LeadingKeys') {
        if (!(request.leadingKeys ?? []).every((k) => patterns.some((p) => glob(p).test(k)))) return false;
      } else if (operator === 'StringEquals' && key === 'dynamodb:EnclosingOperation') {
        if (!request.enclosingOperation || !patterns.includes(request.enclosingOperation)) return false;
      } else if (operator === 'ForAllValues:StringEquals' && key === 'dynamodb:Attributes') {
        if (!(request.attributes ?? []).every((a) => patterns.includes(a))) return false;
      } else if (operator === 'StringEquals' && key === 'dynamodb:Select') {
        if (!request.select || !patterns.includes(request.select)) return false;
      } else throw new Error(`condition ${operator} ${key} not simulated`);
    }
  }
  return true;
}

/** Whether any Allow statement of the role, on the table, admits the request. */
function tableAllows(role: string, request: Request): boolean {
  return iamStatements(synth)
    .filter(({ policy }) => JSON.stringify(policy.Properties.Roles).includes(role))
    .map(({ statement }) => statement)
    .filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Resource).includes('Table'))
    .filter((st) => {
      const onIndex = /\/index\/([A-Za-z0-9_.-]+)/.exec(JSON.stringify(st.Resource))?.[1];
      return onIndex === request.index;
    })
    .some(
      (st) =>
        asArray(st.Action).some((a) => glob(a).test(request.action)) && conditionsHold(st.Condition, request),
    );
}

const TX = 'TransactWriteItems';

describe('Each function reaches only the items of its use case (dynamodb:LeadingKeys)', () => {
  it('limits every table permission of every function to partition-key prefixes, and grants no PartiQL; a Scan only to go-live and the destruction job (keys) and the export functions, of named attributes; batch writes to the job alone; deletes to go-live and the withdrawals', () => {
    const table = iamStatements(synth).filter(
      ({ stack, statement }) =>
        stack === 'compute' &&
        statement.Effect === 'Allow' &&
        asArray(statement.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(table.length).toBeGreaterThan(0);
    const scanners = new Set<string>();
    for (const { statement, logicalId, policy } of table) {
      const actions = asArray(statement.Action);
      for (const a of actions) {
        expect(a, logicalId).toMatch(
          /^dynamodb:(GetItem|Query|PutItem|UpdateItem|ConditionCheckItem|DeleteItem|Scan|BatchWriteItem)$/,
        );
      }
      if (actions.includes('dynamodb:BatchWriteItem')) {
        expect(logicalId, 'only the destruction job writes in batches').toMatch(/^RunRetentionRole/);
      }
      if (actions.includes('dynamodb:DeleteItem')) {
        expect(logicalId, 'only go-live and the withdrawals delete').toMatch(
          /^(GoLive|WithdrawStatement|AdminWithdrawStatement)Role/,
        );
      }
      if (actions.includes('dynamodb:Scan')) {
        // A Scan names no partition key: it is held to the attributes its reader needs instead.
        expect(actions, logicalId).toEqual(['dynamodb:Scan']);
        const attributes = asArray(
          statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'],
        );
        expect(attributes.length, logicalId).toBeGreaterThan(0);
        expect(statement.Condition?.StringEquals?.['dynamodb:Select'], logicalId).toBe('SPECIFIC_ATTRIBUTES');
        scanners.add(
          /FnGetAtt(\w+?Role)[0-9A-F]{8}/.exec(JSON.stringify(policy.Properties.Roles))?.[1] ?? logicalId,
        );
        continue;
      }
      const patterns = asArray(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);
      expect(patterns.length, logicalId).toBeGreaterThan(0);
      for (const p of patterns) expect(p, logicalId).not.toBe('*');
    }
    expect([...scanners].sort()).toEqual([
      'ExportEmailsRole',
      'ExportStatementsRole',
      'GoLiveRole',
      'RunRetentionRole',
    ]);
  });

  it('lets go-live scan the keys only (never a ciphertext) and delete test statements, e-mails and counts only', () => {
    const role = 'GoLiveRole';
    const keysOnly = { action: 'dynamodb:Scan', attributes: ['pk', 'sk'], select: 'SPECIFIC_ATTRIBUTES' };
    expect(tableAllows(role, keysOnly)).toBe(true);
    expect(tableAllows(role, { ...keysOnly, attributes: ['pk', 'sk', 'ct'] })).toBe(false);
    expect(tableAllows(role, { ...keysOnly, select: 'ALL_ATTRIBUTES' })).toBe(false);
    for (const pk of ['T#ab', 'ET#stmt-1', 'CT#3']) {
      expect(tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk] }), pk).toBe(true);
    }
    for (const pk of ['S#ab', 'E#stmt-1', 'C#3', 'INITIATIVE', 'L', 'K#ref']) {
      expect(tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk] }), pk).toBe(false);
    }
    for (const pk of ['S#ab', 'T#ab', 'E#stmt-1', 'ET#stmt-1']) {
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) {
        expect(tableAllows(role, { action, leadingKeys: [pk] }), `${action} ${pk}`).toBe(false);
      }
    }
    for (const other of [
      'GetAdminInitiativeRole',
      'UpdateInitiativeRole',
      'GetDashboardRole',
      'SubmitStatementRole',
      'WithdrawStatementRole',
      'AdminWithdrawStatementRole',
      'GetRetentionRole',
    ]) {
      expect(tableAllows(other, keysOnly), other).toBe(false);
    }
  });

  it.each(['WithdrawStatementRole', 'AdminWithdrawStatementRole'])(
    'lets %s find a statement by receipt on the receipts index only, and delete it, its e-mail and its count only inside a transaction',
    (role) => {
      const onIndex = { action: 'dynamodb:Query', index: 'receipts' };
      expect(tableAllows(role, { ...onIndex, leadingKeys: ['R#0f8fad5b-d9cb-469f-a165-70867728950e'] })).toBe(
        true,
      );
      expect(tableAllows(role, { ...onIndex, leadingKeys: ['S#ab'] })).toBe(false);
      expect(tableAllows(role, { ...onIndex, index: 'other', leadingKeys: ['R#x'] })).toBe(false);
      // On the table itself: no read of a statement, an e-mail or a data key.
      for (const pk of ['S#ab', 'T#ab', 'E#r', 'ET#r', 'K#ref', 'R#x']) {
        for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) {
          expect(tableAllows(role, { action, leadingKeys: [pk] }), `${action} ${pk}`).toBe(false);
        }
      }
      for (const pk of ['S#ab', 'T#ab', 'E#r', 'ET#r']) {
        expect(
          tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk], enclosingOperation: TX }),
        ).toBe(true);
        expect(tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk] }), pk).toBe(false);
      }
      for (const pk of ['C#3', 'CT#3']) {
        expect(
          tableAllows(role, { action: 'dynamodb:UpdateItem', leadingKeys: [pk], enclosingOperation: TX }),
        ).toBe(true);
        expect(tableAllows(role, { action: 'dynamodb:UpdateItem', leadingKeys: [pk] })).toBe(false);
      }
      for (const pk of ['INITIATIVE', 'K#ref', 'L', 'D#x', 'C#3']) {
        expect(
          tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk], enclosingOperation: TX }),
          pk,
        ).toBe(false);
      }
    },
  );

  it('lets the destruction job scan keys only and delete, in batches, the personal families only: never a counter, the initiative or the trail', () => {
    const role = 'RunRetentionRole';
    const keysOnly = { action: 'dynamodb:Scan', attributes: ['pk', 'sk'], select: 'SPECIFIC_ATTRIBUTES' };
    expect(tableAllows(role, keysOnly)).toBe(true);
    expect(tableAllows(role, { ...keysOnly, attributes: ['pk', 'sk', 'ct'] })).toBe(false);
    expect(tableAllows(role, { ...keysOnly, select: 'ALL_ATTRIBUTES' })).toBe(false);
    const batch = (pk: string) => ({ action: 'dynamodb:BatchWriteItem', leadingKeys: [pk] });
    for (const pk of ['S#ab', 'T#ab', 'E#r', 'ET#r', 'K#ref', 'A#nonce', 'D#x']) {
      expect(tableAllows(role, batch(pk)), pk).toBe(true);
    }
    for (const pk of ['C#3', 'CT#3', 'INITIATIVE', 'L', 'M#org#s', 'RETENTION']) {
      expect(tableAllows(role, batch(pk)), pk).toBe(false);
      expect(tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: [pk] }), pk).toBe(false);
    }
    // A batch mixing a personal item with anything else is refused as a whole (ForAllValues).
    expect(tableAllows(role, { action: 'dynamodb:BatchWriteItem', leadingKeys: ['S#ab', 'C#3'] })).toBe(
      false,
    );
    // No read of a statement: its record, the initiative, and the trail (to append) only.
    for (const pk of ['S#ab', 'E#r', 'K#ref']) {
      expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: [pk] }), pk).toBe(false);
    }
    expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: ['RETENTION'] })).toBe(true);
    expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['RETENTION'] })).toBe(true);
    expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['INITIATIVE'] })).toBe(false);
    expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['L'] })).toBe(true);
    expect(tableAllows(role, { action: 'dynamodb:UpdateItem', leadingKeys: ['L'] })).toBe(false);
  });

  it('lets the organiser functions read and put the initiative item, and never read a statement or an e-mail', () => {
    const writers = ['UpdateInitiativeRole', 'SetCollectionRole', 'RecordSubmissionRole', 'GoLiveRole'];
    const organisers = [
      ...writers,
      'GetAdminInitiativeRole',
      'GetDashboardRole',
      'GetAuditRole',
      'GetMeRole',
    ];
    for (const role of writers) {
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['INITIATIVE'] }), role).toBe(true);
      expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: ['INITIATIVE'] }), role).toBe(true);
    }
    for (const role of ['GetAdminInitiativeRole', 'GetDashboardRole', 'GetAuditRole']) {
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['INITIATIVE'] }), role).toBe(
        false,
      );
    }
    for (const role of organisers) {
      for (const pk of ['S#ab', 'T#ab', 'E#stmt-1', 'ET#stmt-1', 'K#ref']) {
        for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) {
          expect(tableAllows(role, { action, leadingKeys: [pk] }), `${role} ${action} ${pk}`).toBe(false);
        }
      }
      // Every one of them may append to the trail (sign_in) but none may rewrite an entry.
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['L'] }), role).toBe(true);
      expect(tableAllows(role, { action: 'dynamodb:UpdateItem', leadingKeys: ['L'] }), role).toBe(false);
      expect(tableAllows(role, { action: 'dynamodb:DeleteItem', leadingKeys: ['L'] }), role).toBe(false);
    }
    expect(tableAllows('GetDashboardRole', { action: 'dynamodb:Query', leadingKeys: ['C#3'] })).toBe(true);
    expect(tableAllows('GetDashboardRole', { action: 'dynamodb:Query', leadingKeys: ['CT#3'] })).toBe(true);
  });

  it('lets the export routes touch export jobs and the audit trail only, and never a statement, an e-mail or a data key', () => {
    for (const role of [
      'RequestExportRole',
      'RequestEmailExportRole',
      'ListExportsRole',
      'GetExportRole',
      'ApproveExportRole',
      'CreateExportDownloadRole',
    ]) {
      for (const pk of ['S#ab12', 'E#stmt-1', 'K#ref', 'C#1', 'D#x']) {
        for (const action of [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]) {
          expect(tableAllows(role, { action, leadingKeys: [pk] }), `${role} ${action} ${pk}`).toBe(false);
        }
      }
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: ['L'] }), role).toBe(true);
    }
    expect(tableAllows('RequestExportRole', { action: 'dynamodb:PutItem', leadingKeys: ['X'] })).toBe(true);
    expect(
      tableAllows('CreateExportDownloadRole', { action: 'dynamodb:UpdateItem', leadingKeys: ['X'] }),
    ).toBe(false);
    expect(tableAllows('ExportStatementsRole', { action: 'dynamodb:GetItem', leadingKeys: ['K#ref'] })).toBe(
      true,
    );
    expect(tableAllows('ExportStatementsRole', { action: 'dynamodb:PutItem', leadingKeys: ['S#ab'] })).toBe(
      false,
    );
  });

  it("takes the prefixes from the functions' own key layout", () => {
    const declared = Object.values(TABLE_SCOPES).flatMap((scope) =>
      scope.flatMap((g) => ('items' in g ? g.items : [])),
    );
    for (const family of declared) expect(Object.keys(KEY_PREFIXES)).toContain(family);
    expect(
      tableAllows('SubmitStatementRole', {
        action: 'dynamodb:PutItem',
        leadingKeys: [`${KEY_PREFIXES.duplicate}sub-1`],
      }),
    ).toBe(true);
  });

  it('lets the submit function read the initiative but never write it', () => {
    const role = 'SubmitStatementRole';
    expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: ['INITIATIVE'] })).toBe(true);
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
      for (const enclosingOperation of [undefined, TX]) {
        expect(tableAllows(role, { action, leadingKeys: ['INITIATIVE'], enclosingOperation }), action).toBe(
          false,
        );
      }
    }
  });

  it('lets the submit function check the initiative inside its transaction (test mode), never alone', () => {
    const role = 'SubmitStatementRole';
    const initiative = { action: 'dynamodb:ConditionCheckItem', leadingKeys: ['INITIATIVE'] };
    expect(tableAllows(role, { ...initiative, enclosingOperation: TX })).toBe(true);
    expect(tableAllows(role, initiative)).toBe(false);
  });

  it.each(['C#7', 'CT#7'])(
    'lets the submit function change a counter (%s) only by an update inside the submit transaction: no put, no delete, nothing alone',
    (pk) => {
      const role = 'SubmitStatementRole';
      const counter = { leadingKeys: [pk] };
      expect(tableAllows(role, { action: 'dynamodb:UpdateItem', ...counter, enclosingOperation: TX })).toBe(
        true,
      );
      expect(tableAllows(role, { action: 'dynamodb:UpdateItem', ...counter })).toBe(false);
      expect(tableAllows(role, { action: 'dynamodb:PutItem', ...counter, enclosingOperation: TX })).toBe(
        false,
      );
      expect(tableAllows(role, { action: 'dynamodb:DeleteItem', ...counter, enclosingOperation: TX })).toBe(
        false,
      );
      expect(tableAllows(role, { action: 'dynamodb:Query', ...counter })).toBe(false);
    },
  );

  it('lets the submit function put statements and e-mails only inside the transaction, and never update or delete one', () => {
    const role = 'SubmitStatementRole';
    for (const pk of ['S#ab12', 'E#stmt-1', 'T#ab12', 'ET#stmt-1']) {
      expect(
        tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: [pk], enclosingOperation: TX }),
        pk,
      ).toBe(true);
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: [pk] }), pk).toBe(false);
      for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        for (const enclosingOperation of [undefined, TX]) {
          expect(
            tableAllows(role, { action, leadingKeys: [pk], enclosingOperation }),
            `${action} ${pk}`,
          ).toBe(false);
        }
      }
    }
    expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: ['E#stmt-1'] })).toBe(false);
  });

  it('lets the submit function put challenges, data keys and duplicate answers, and read nothing else', () => {
    const role = 'SubmitStatementRole';
    for (const pk of ['A#nonce', 'K#ref', 'D#sub-1']) {
      expect(tableAllows(role, { action: 'dynamodb:PutItem', leadingKeys: [pk] }), pk).toBe(true);
    }
    for (const pk of ['A#nonce', 'K#ref', 'C#1']) {
      expect(tableAllows(role, { action: 'dynamodb:GetItem', leadingKeys: [pk] }), pk).toBe(false);
    }
  });

  it('lets get-progress read the initiative (mode, registration date) and query counter shards only, and get-initiative read the initiative only', () => {
    expect(tableAllows('GetProgressRole', { action: 'dynamodb:Query', leadingKeys: ['C#3'] })).toBe(true);
    expect(tableAllows('GetProgressRole', { action: 'dynamodb:Query', leadingKeys: ['CT#3'] })).toBe(true);
    expect(tableAllows('GetProgressRole', { action: 'dynamodb:Query', leadingKeys: ['S#ab'] })).toBe(false);
    expect(tableAllows('GetProgressRole', { action: 'dynamodb:GetItem', leadingKeys: ['INITIATIVE'] })).toBe(
      true,
    );
    expect(tableAllows('GetProgressRole', { action: 'dynamodb:GetItem', leadingKeys: ['S#ab'] })).toBe(false);
    expect(
      tableAllows('GetInitiativeRole', { action: 'dynamodb:GetItem', leadingKeys: ['INITIATIVE'] }),
    ).toBe(true);
    expect(tableAllows('GetInitiativeRole', { action: 'dynamodb:GetItem', leadingKeys: ['S#ab'] })).toBe(
      false,
    );
    expect(tableAllows('GetInitiativeRole', { action: 'dynamodb:Query', leadingKeys: ['C#1'] })).toBe(false);
  });
});

describe('Each role works only from its own function (lambda:SourceFunctionArn)', () => {
  type Fn = [string, { Properties: Record<string, unknown> }];
  const roleLogicalId = (fn: Fn) =>
    /ExportsOutputFnGetAtt([A-Za-z0-9]+Role[0-9A-F]{8})Arn/.exec(JSON.stringify(fn[1].Properties.Role))?.[1];
  const denyPolicyOf = (roleId: string) =>
    resourcesOf(synth.templates.keys, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: (Statement & { NotAction?: string[] })[] }).Statement,
      );
  const functionOf = (statement: Statement) =>
    /:function:([a-z0-9-]+)"/.exec(
      JSON.stringify(statement.Condition?.ArnNotEquals?.['lambda:SourceFunctionArn']),
    )?.[1];

  it("denies every action but Lambda's own logging, from anywhere but the function of that name (the download links' GetObject excepted)", () => {
    const functions = resourcesOf(synth.templates.compute, 'AWS::Lambda::Function') as Fn[];
    // One function per route, the origin authorizer, the two export functions and the destruction job.
    expect(functions).toHaveLength(ROUTES.length + 4);
    for (const fn of functions) {
      const roleId = roleLogicalId(fn);
      expect(roleId, fn[0]).toBeDefined();
      const [everything, keys] = denyPolicyOf(roleId ?? '');
      // A presigned URL is sent by the organiser's browser, with the download role's signature.
      const outside = roleId?.startsWith('CreateExportDownloadRole') ? ['s3:GetObject'] : [];
      expect(everything, fn[0]).toMatchObject({
        Effect: 'Deny',
        Resource: '*',
        NotAction: ['logs:*', 'xray:*', 'kms:*', ...outside],
      });
      expect(functionOf(everything as Statement), fn[0]).toBe(fn[1].Properties.FunctionName);
      expect(keys, fn[0]).toMatchObject({ Effect: 'Deny', Action: 'kms:*' });
      expect(functionOf(keys as Statement), fn[0]).toBe(fn[1].Properties.FunctionName);
    }
  });

  it('confines the statement key and the export key to the function as well, except calls S3 makes on its behalf', () => {
    const ids = keyLogicalIds(synth);
    for (const [roleId] of resourcesOf(synth.templates.keys, 'AWS::IAM::Role')) {
      if (!/(Statement|Initiative|Progress|Challenge|Origin|Retention)s?Role/.test(roleId)) continue;
      const keys = denyPolicyOf(roleId)[1] as Statement;
      expect(JSON.stringify(keys.Resource), roleId).toContain(ids.dataKey);
      expect(JSON.stringify(keys.Resource), roleId).toContain(ids.exportKey);
      expect(keys.Condition?.BoolIfExists, roleId).toEqual({ 'aws:ViaAWSService': 'false' });
    }
  });

  it('names a function for the export role too, before its function exists', () => {
    const names = resourcesOf(synth.templates.keys, 'AWS::IAM::Role')
      .filter(([id]) => /^ExportStatementsRole/.test(id))
      .map(([id]) => functionOf(denyPolicyOf(id)[0] as Statement));
    expect(names).toEqual(['ocs-export-statements']);
  });
});

describe('Only the deploy role may change the secrets', () => {
  it("denies every write to the dedup, challenge and origin secrets to every principal but CloudFormation's execution role", () => {
    const policies = resourcesOf(synth.templates.secrets, 'AWS::SecretsManager::ResourcePolicy');
    const secrets = policies.map(([, p]) => JSON.stringify(p.Properties.SecretId));
    for (const name of ['DedupSecret', 'ChallengeSecret', 'OriginVerifySecret']) {
      expect(
        secrets.some((s) => s.includes(name)),
        name,
      ).toBe(true);
    }
    for (const [id, policy] of policies) {
      const deny = (policy.Properties.ResourcePolicy as { Statement: Statement[] }).Statement.find(
        (st) => st.Sid === 'OnlyTheDeployRoleMayChangeTheSecret',
      );
      expect(deny, id).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      for (const action of [
        'PutSecretValue',
        'UpdateSecret',
        'DeleteSecret',
        'PutResourcePolicy',
        'RotateSecret',
      ]) {
        expect(asArray(deny?.Action), `${id} ${action}`).toContain(`secretsmanager:${action}`);
      }
      expect(asArray(deny?.Action).sort()).toEqual([...SECRET_WRITE_ACTIONS].sort());
      expect(JSON.stringify(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toMatch(
        /cdk-[a-z0-9]+-cfn-exec-role-/,
      );
    }
  });
});

describe('Alarms on any change to secrets, function code or configuration, and role policies', () => {
  const filters = () => resourcesOf(synth.templates.operations, 'AWS::Logs::MetricFilter');
  const alarms = () => resourcesOf(synth.templates.operations, 'AWS::CloudWatch::Alarm');

  it.each([
    [
      'SecretChanges',
      'secretsmanager.amazonaws.com',
      ['PutSecretValue', 'UpdateSecret', 'PutResourcePolicy', 'DeleteSecret'],
    ],
    [
      'FunctionChanges',
      'lambda.amazonaws.com',
      ['UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2', 'AddPermission20150331v2'],
    ],
    [
      'RolePolicyChanges',
      'iam.amazonaws.com',
      [
        'PutRolePolicy',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'DeleteRolePolicy',
        'CreatePolicyVersion',
        'UpdateAssumeRolePolicy',
      ],
    ],
  ] as const)(
    '%s: a metric filter on the audit trail matches %s events, and its alarm notifies on the first',
    (name, source, events) => {
      const filter = filters().find(
        ([, f]) => (f.Properties.MetricTransformations as { MetricName: string }[])[0]?.MetricName === name,
      );
      expect(filter, name).toBeDefined();
      const pattern = String(filter?.[1].Properties.FilterPattern);
      expect(pattern.length).toBeLessThanOrEqual(1024);
      expect(JSON.stringify(filter?.[1].Properties.LogGroupName)).toMatch(/TrailLogGroup/);
      expect(pattern).toContain(`$.eventSource = "${source}"`);
      const names = [...pattern.matchAll(/\$\.eventName = "([^"]+)"/g)].map((m) => m[1] ?? '');
      for (const event of events)
        expect(
          names.some((n) => glob(n).test(event)),
          event,
        ).toBe(true);
      const alarm = alarms().find(([, a]) => a.Properties.MetricName === name);
      expect(alarm?.[1].Properties).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        Namespace: 'OCS/Changes',
      });
      expect(JSON.stringify(alarm?.[1].Properties.AlarmActions)).toMatch(/Alarms/);
      expect(Object.keys(CHANGE_ALARMS)).toContain(name);
    },
  );
});

describe('The export bucket has a key of its own', () => {
  it('names its readers in the key policy (the export functions and the download links, through S3 only) and denies decryption to everyone else', () => {
    const ids = keyLogicalIds(synth);
    const policy = keyPolicy(synth, ids.exportKey);
    const allows = policy.filter(
      (st) => st.Effect === 'Allow' && asArray(st.Action).some((a) => /^kms:(Decrypt|\*)$/.test(a)),
    );
    expect(allows).toHaveLength(2);
    const writers = allows.find((st) => st.Sid === 'ExportWritersMayUseTheKeyThroughS3');
    expect(JSON.stringify(writers?.Principal)).toMatch(/ExportEmailsRole|ExportStatementsRole/);
    expect(asArray(writers?.Principal?.AWS)).toHaveLength(2);
    const links = allows.find((st) => st.Sid === 'DownloadLinksMayDecryptThroughS3');
    expect(links?.Action).toBe('kms:Decrypt');
    expect(JSON.stringify(links?.Principal)).toMatch(/CreateExportDownloadRole/);
    for (const allow of allows) {
      expect(allow.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' },
      });
      expect(JSON.stringify(allow.Principal)).not.toMatch(/(Get|List|Request|Approve)[A-Za-z]*Role/);
    }
    const deny = policy.find((st) => st.Effect === 'Deny');
    expect(deny).toMatchObject({ Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:ReEncrypt*'] });
    expect(asArray(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toHaveLength(3);
    for (const role of ['ExportStatementsRole', 'ExportEmailsRole', 'CreateExportDownloadRole']) {
      expect(JSON.stringify(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toContain(role);
    }
    const admin = policy.find((st) => st.Sid === 'KeyAdministrationWithoutCryptographicUse');
    expect(
      asArray(admin?.Action).filter((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a)),
    ).toEqual([]);
  });

  it("is a different key from the table's and the statements'", () => {
    const ids = keyLogicalIds(synth);
    const bucket = resourcesOf(synth.templates.data, 'AWS::S3::Bucket').find(([id]) =>
      id.startsWith('Exports'),
    );
    const sse = JSON.stringify(bucket?.[1].Properties.BucketEncryption);
    expect(sse).toContain(ids.exportKey);
    expect(sse).not.toContain(ids.storageKey);
    expect(sse).not.toContain(ids.dataKey);
  });
});

describe('Every AWS SDK client gives up before its function times out', () => {
  it('budgets one call as every attempt timing out plus the wait between them', () => {
    const { maxAttempts, connectionTimeoutMs, requestTimeoutMs, firstRetryDelayMaxMs } = AWS_CLIENT_LIMITS;
    expect(AWS_CALL_BUDGET_MS).toBe(
      maxAttempts * (connectionTimeoutMs + requestTimeoutMs) + (maxAttempts - 1) * firstRetryDelayMaxMs,
    );
    expect(MIN_FUNCTION_TIMEOUT_MS).toBe(AWS_CALL_BUDGET_MS + HANDLER_MARGIN_MS);
  });

  it("leaves every function's timeout room for one failing AWS call and the handler's 503", () => {
    const functions = resourcesOf(synth.templates.compute, 'AWS::Lambda::Function');
    // One function per route, the origin authorizer, the two export functions and the destruction job.
    expect(functions).toHaveLength(ROUTES.length + 4);
    for (const [id, fn] of functions) {
      expect(Number(fn.Properties.Timeout) * 1000, id).toBeGreaterThanOrEqual(MIN_FUNCTION_TIMEOUT_MS);
    }
  });

  it('refuses at synthesis a function whose timeout leaves no such room', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'T', {
      env: { region: 'eu-central-1', account: '123456789012' },
    });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const make = (id: string, ms: number) =>
      new OcsFunction(stack, id, {
        entry: handlerEntry('get-initiative'),
        role,
        functionName: `t-${id.toLowerCase()}`,
        description: 'test',
        initiativeId: 'demo-initiative',
        timeout: Duration.millis(ms),
      });
    expect(() => make('Short', MIN_FUNCTION_TIMEOUT_MS - 1)).toThrow(/contract's 503/);
    expect(() => make('Enough', MIN_FUNCTION_TIMEOUT_MS)).not.toThrow();
  });
});
