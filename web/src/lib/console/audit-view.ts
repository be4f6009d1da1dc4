import { type AuditAction, type AuditEntry, isAuditAction, verifyChain } from '@ocs/shared/audit';

/**
 * What the audit page says about the trail's integrity: the chain checked in the browser with
 * `verifyChain` (WebCrypto, the same code the functions write the trail with) next to the
 * server's own `chainValid`. Either failing is shown; they should never disagree.
 */
export type ChainStatus =
  | { readonly kind: 'empty'; readonly serverValid: boolean }
  | { readonly kind: 'verified'; readonly count: number; readonly head: string }
  | {
      readonly kind: 'broken';
      readonly count: number;
      readonly brokenAt: number;
      readonly reason: string;
      readonly serverValid: boolean;
    }
  /** Every entry verifies here, yet the server reports a broken chain. */
  | { readonly kind: 'server_disagrees'; readonly count: number; readonly head: string };

export async function chainStatus(entries: readonly unknown[], serverValid: boolean): Promise<ChainStatus> {
  const result = await verifyChain(entries);
  if (!result.valid) {
    return {
      kind: 'broken',
      count: result.count,
      brokenAt: result.brokenAt,
      reason: result.reason,
      serverValid,
    };
  }
  if (result.count === 0) return { kind: 'empty', serverValid };
  if (!serverValid) return { kind: 'server_disagrees', count: result.count, head: result.head };
  return { kind: 'verified', count: result.count, head: result.head };
}

/**
 * The file the console downloads: the API's own shape, which `npm run audit -- verify <file>`
 * reads, entries unchanged (their hashes cover every field).
 */
export function auditFile(entries: readonly AuditEntry[], chainValid: boolean): string {
  return `${JSON.stringify({ entries, chainValid }, null, 2)}\n`;
}

/** `audit-trail-<initiative>-<YYYY-MM-DD>.json`. */
export function auditFileName(initiativeId: string | null, now: Date): string {
  const slug = initiativeId && /^[a-z0-9-]+$/.test(initiativeId) ? `${initiativeId}-` : '';
  return `audit-trail-${slug}${now.toISOString().slice(0, 10)}.json`;
}

/** The first 12 hex digits of a hash, for tables (the full hash is in the file and the title). */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** An entry's details as compact text (never a signatory's data: the trail holds none). */
export function detailsText(details: AuditEntry['details']): string {
  const text = JSON.stringify(details);
  return text === '{}' ? '' : text;
}

/** The console's words for the trail's actions (a message `action_<action>` for every action). */
export type AuditActionMessages = { readonly [A in AuditAction as `action_${A}`]: () => string };

/** An action in words: every action the trail knows (a new one fails the typecheck), else its name. */
export function auditActionText(cm: AuditActionMessages, action: string): string {
  return isAuditAction(action) ? cm[`action_${action}`]() : action;
}
