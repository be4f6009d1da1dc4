import { readFileSync } from 'node:fs';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanAll } from '../support/table';

/**
 * The privacy scan of the integration tier, run by the global teardown once every suite has
 * sent its data (whatever the order of the files): every personal value a suite sent was
 * recorded (`recordPersonalValues`), and none may appear in a log line of the server or in
 * plaintext in any raw DynamoDB item.
 */

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** One line of the values file: a suite's personal values, or organisers' e-mail addresses. */
type RecordedLine = readonly string[] | { readonly organiserEmails: readonly string[] };

/**
 * The recorded personal values, folded; each word of a multi-word name on its own too. Organisers'
 * addresses are searched like any value: the audit trail names its actors by e-mail (the organiser
 * API's contract), which `scanTable` leaves out of audit entries, and nothing else may hold them.
 */
export function personalValues(valuesFile: string): string[] {
  const values = new Set<string>();
  for (const line of readFileSync(valuesFile, 'utf8').split('\n')) {
    if (!line) continue;
    const recorded = JSON.parse(line) as RecordedLine;
    const list = Array.isArray(recorded)
      ? recorded
      : (recorded as { organiserEmails: readonly string[] }).organiserEmails;
    for (const value of list) {
      // Each part of a multi-word name is distinctive on its own (random words).
      for (const part of [value, ...value.split(/\s+/)]) {
        if (part.length >= 6 && !/^(anneliese|zofia|berlin)$/i.test(part)) values.add(fold(part));
      }
    }
  }
  return [...values];
}

function strings(value: AttributeValue | undefined): string[] {
  if (!value) return [];
  if (value.S !== undefined) return [value.S];
  if (value.N !== undefined) return [value.N];
  if (value.B !== undefined)
    return [Buffer.from(value.B).toString('utf8'), Buffer.from(value.B).toString('latin1')];
  if (value.M) return Object.values(value.M).flatMap(strings);
  if (value.L) return value.L.flatMap(strings);
  if (value.SS) return value.SS;
  return [];
}

/** What the table scan found: how much it looked at, and which recorded values it found. */
export interface TableScan {
  readonly statementItems: number;
  readonly leaked: readonly string[];
}

/**
 * The text of an item to search. An audit entry names the organiser who acted (`actor`: their
 * `sub` and e-mail address, recorded on purpose for accountability, docs/audit-trail.md), so its
 * actor is left out; everything else of it (details above all) is searched like any item.
 */
function searchable(item: Record<string, AttributeValue>): string[] {
  if (item.pk?.S === 'L' && item.entry?.S) {
    const { actor: _organiser, ...rest } = JSON.parse(item.entry.S) as Record<string, unknown>;
    return [
      JSON.stringify(rest),
      ...Object.entries(item).flatMap(([k, v]) => (k === 'entry' ? [] : strings(v))),
    ];
  }
  return Object.values(item).flatMap(strings);
}

/** Every raw item of the table, searched for the recorded values. */
export async function scanTable(
  db: DynamoDBClient,
  tableName: string,
  values: readonly string[],
): Promise<TableScan> {
  const items = await scanAll(db, tableName);
  const text = fold(items.flatMap(searchable).join('\u0000'));
  return {
    // Live and test statements alike: both hold sealed personal data.
    statementItems: items.filter((item) => /^(S|T)#/.test(item.pk?.S ?? '')).length,
    leaked: values.filter((v) => text.includes(v)),
  };
}

/**
 * The server's whole output, searched for the recorded values, and for any line that would tell
 * a duplicate from an acceptance: only the periodic aggregate (`statement intake`) may count
 * duplicates; a request's own line never says it was one.
 */
export function scanLog(logFile: string, values: readonly string[]) {
  const log = fold(readFileSync(logFile, 'utf8'));
  const lines = log.split('\n');
  return {
    requestLines: lines.filter((l) => l.includes('"message":"request"')).length,
    leaked: values.filter((v) => log.includes(v)),
    telling: lines.filter(
      (l) =>
        (/duplicate|already_signed/.test(l) ||
          (l.includes('"route":"post /api/statements"') && l.includes('"status":409'))) &&
        !l.includes('"message":"statement intake"'),
    ).length,
  };
}

/**
 * The verdict on both scans: throws when a recorded value leaked, or when the scans could not
 * have found one (suites sent personal data, yet the log shows no request or the table no
 * statement); otherwise returns a one-line summary.
 */
export function privacyVerdict(
  values: readonly string[],
  table: TableScan,
  log: ReturnType<typeof scanLog>,
): string {
  if (values.length === 0) return 'privacy scan: no suite sent personal data; nothing to scan';
  const problems = [
    ...(table.statementItems === 0
      ? ['the table holds no statement: the scan looked in the wrong place']
      : []),
    ...(log.requestLines === 0 ? ['the server log has no request line: the scan read the wrong file'] : []),
    ...(table.leaked.length
      ? [`${table.leaked.length} value(s) in plaintext in the table: ${table.leaked.slice(0, 5).join(', ')}`]
      : []),
    ...(log.leaked.length
      ? [`${log.leaked.length} value(s) in the server log: ${log.leaked.slice(0, 5).join(', ')}`]
      : []),
    ...(log.telling
      ? [`${log.telling} log line(s) tell a duplicate from an acceptance (only the aggregate may)`]
      : []),
  ];
  if (problems.length) throw new Error(`Privacy scan failed:\n- ${problems.join('\n- ')}`);
  return `privacy scan: ${values.length} personal values sent, none in ${table.statementItems} statement items or ${log.requestLines} logged requests`;
}
