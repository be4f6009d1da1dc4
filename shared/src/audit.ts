import canonicalize from 'canonicalize';
import * as z from 'zod';

/**
 * The organisers' audit trail: an append-only, hash-chained list of everything organisers (and
 * the daily retention job) do. Each entry's `hash` is the lower-case hex SHA-256 of the entry
 * without `hash`, serialised as RFC 8785 (JSON Canonicalization Scheme) canonical JSON; each
 * entry's `prevHash` is the previous entry's `hash` (64 zeros for the first). Rewriting, removing,
 * inserting or reordering any entry therefore breaks the chain at that entry or the next one.
 *
 * Pure and isomorphic: hashing uses WebCrypto (`crypto.subtle`), present in browsers and in Node,
 * so the console verifies the chain client-side with the very code the functions write it with.
 */

/** Every action the trail records (the API contract's list; more may be added later). */
export const AUDIT_ACTIONS = [
  'sign_in',
  'initiative_updated',
  'go_live',
  'collection_opened',
  'collection_paused',
  'submission_recorded',
  'export_requested',
  'export_approved',
  'export_downloaded',
  /** An export run ended with its files written (actor: system). */
  'export_completed',
  /** An export run failed or was given up, its files discarded (actor: system). */
  'export_failed',
  /** The e-mail addresses of consenting signatories: their own export, under the same dual control. */
  'email_export_requested',
  'email_export_approved',
  'email_export_downloaded',
  'withdrawal',
  'destruction',
  'key_destroyed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** True when `value` is one of the actions this version knows. */
export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/**
 * Who acted. An organiser is their identity provider subject (`sub`) and e-mail (`email` is
 * `null` only when the token carried none); the daily retention job is {@link SYSTEM_ACTOR}.
 * Organisers' identities are recorded on purpose (accountability); signatories' never are.
 */
export interface AuditActor {
  readonly sub: string;
  readonly email: string | null;
}

/** The actor of unattended work (the daily retention job). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ sub: 'system', email: null });

/**
 * The actor of a withdrawal made on the public withdraw page: an anonymous citizen. Nothing about
 * who they are is known or recorded.
 */
export const CITIZEN_ACTOR: AuditActor = Object.freeze({ sub: 'citizen', email: null });

/** A JSON value (what RFC 8785 can serialise: finite numbers, well-formed strings). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** What an entry says about the action. Never a signatory's personal data (see docs/audit-trail.md). */
export type AuditDetails = JsonObject;

/** One entry of the trail, in the shape `GET /api/admin/audit` returns. */
export interface AuditEntry {
  /** 1, 2, 3, ... without gaps. */
  readonly seq: number;
  /** ISO 8601 instant (UTC) at which the entry was written. */
  readonly at: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly details: AuditDetails;
  /** The previous entry's `hash`; {@link GENESIS_HASH} for seq 1. */
  readonly prevHash: string;
  /** Lower-case hex SHA-256 of the RFC 8785 canonical JSON of this entry without `hash`. */
  readonly hash: string;
}

/** An entry before it is hashed. */
export type UnhashedAuditEntry = Omit<AuditEntry, 'hash'>;

/** The `prevHash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * RFC 8785 canonical JSON of `value` (via `canonicalize`, the RFC author's implementation).
 * Throws on what has no canonical form: `undefined`, NaN, infinities, lone surrogates, cycles.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('The value has no JSON representation.');
  return text;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text` (WebCrypto). */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 (hex) of the canonical JSON of `value`: "a digest of the change" without its content. */
export function digest(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}

/**
 * The hash of an entry: SHA-256 of the canonical JSON of every field except `hash` (a `hash`
 * field present on the argument is ignored, so a stored entry can be passed as it is).
 */
export function hashEntry(entry: UnhashedAuditEntry | AuditEntry): Promise<string> {
  const { hash: _ignored, ...rest } = entry as Partial<AuditEntry>;
  return digest(rest);
}

/** What a caller supplies for a new entry; seq, prevHash and hash follow from the chain. */
export interface AuditEntryInput {
  readonly at: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly details: AuditDetails;
}

/**
 * The entry that follows `previous` (or the first entry when there is none), hashed. Details go
 * through canonical JSON and back, so the returned entry is exactly what a reader will parse
 * (e.g. `-0` becomes `0`, `undefined` members disappear) and its hash verifies after a round trip.
 */
export async function nextEntry(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  input: AuditEntryInput,
): Promise<AuditEntry> {
  const details = JSON.parse(canonicalJson(input.details)) as AuditDetails;
  if (details === null || typeof details !== 'object' || Array.isArray(details)) {
    throw new TypeError('Audit details must be a JSON object.');
  }
  const unhashed: UnhashedAuditEntry = {
    seq: previous ? previous.seq + 1 : 1,
    at: input.at,
    actor: { sub: input.actor.sub, email: input.actor.email },
    action: input.action,
    details,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...unhashed, hash: await hashEntry(unhashed) };
}

/**
 * The shape of an entry read from outside (an exported file, an API answer). `action` is any
 * non-empty string so an older verifier still checks a trail that records newer actions; fields
 * beyond the contract's are kept and covered by the hash like the others.
 */
export const auditEntrySchema = z.looseObject({
  seq: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
  actor: z.looseObject({ sub: z.string().min(1), email: z.string().min(1).nullable() }),
  action: z.string().min(1),
  details: z.record(z.string(), z.json()),
  prevHash: z.string().regex(HEX_SHA256),
  hash: z.string().regex(HEX_SHA256),
});

/** Why a chain did not verify. */
export type ChainBreak =
  /** The entry is not an audit entry (missing or ill-typed field). */
  | 'malformed'
  /** `seq` is not the previous entry's plus one (an entry was removed, inserted or moved). */
  | 'seq_mismatch'
  /** `prevHash` is not the previous entry's hash. */
  | 'prev_hash_mismatch'
  /** `hash` is not the hash of the entry's content (the entry was changed). */
  | 'hash_mismatch';

export type ChainVerification =
  | {
      readonly valid: true;
      readonly count: number;
      /** The last entry's hash (`expectedFirstPrevHash`, or GENESIS_HASH, for an empty list). */
      readonly head: string;
    }
  | {
      readonly valid: false;
      readonly count: number;
      /** The seq of the first entry that does not verify (its position's seq if it has none). */
      readonly brokenAt: number;
      /** Its 0-based position in the list. */
      readonly index: number;
      readonly code: ChainBreak;
      readonly reason: string;
    };

export interface VerifyChainOptions {
  /**
   * Verify a segment that continues a known chain: the first entry's `prevHash` must be this
   * (e.g. the last hash of the previous page, or a head hash anchored in an export manifest).
   * Default: {@link GENESIS_HASH}, i.e. the list must start at the beginning.
   */
  readonly expectedFirstPrevHash?: string;
  /**
   * The first entry's `seq`. Default: 1 when the list must start at the beginning; any positive
   * integer when only `expectedFirstPrevHash` anchors a segment.
   */
  readonly expectedFirstSeq?: number;
}

/**
 * Verifies a trail, in order: every entry well-formed, `seq` consecutive, every `prevHash` the
 * previous entry's hash (the first one the genesis hash or `expectedFirstPrevHash`), every `hash`
 * recomputed from the entry. Stops at the first entry that fails. An entry changed and re-hashed
 * passes its own check but breaks the next entry's `prevHash`; only a change to the last entry,
 * re-hashed, is invisible to the chain alone, which is why the head hash is worth anchoring.
 */
export async function verifyChain(
  entries: readonly unknown[],
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const firstPrevHash = options.expectedFirstPrevHash ?? GENESIS_HASH;
  const firstSeq = options.expectedFirstSeq ?? (firstPrevHash === GENESIS_HASH ? 1 : undefined);
  let previous: { seq: number; hash: string } | undefined;
  for (const [index, raw] of entries.entries()) {
    const expectedSeq = previous ? previous.seq + 1 : firstSeq;
    const fail = (code: ChainBreak, reason: string, seq?: number): ChainVerification => ({
      valid: false,
      count: entries.length,
      brokenAt: seq ?? expectedSeq ?? index + 1,
      index,
      code,
      reason,
    });
    const parsed = auditEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(entry)'))];
      const seq = (raw as { seq?: unknown } | null)?.seq;
      return fail(
        'malformed',
        `not an audit entry (bad ${fields.join(', ')})`,
        Number.isInteger(seq) && (seq as number) > 0 ? (seq as number) : undefined,
      );
    }
    const entry = raw as AuditEntry;
    if (expectedSeq !== undefined && entry.seq !== expectedSeq) {
      return fail(
        'seq_mismatch',
        `expected seq ${expectedSeq}, found ${entry.seq} (an entry is missing, added or out of order)`,
        entry.seq,
      );
    }
    const expectedPrev = previous ? previous.hash : firstPrevHash;
    if (entry.prevHash !== expectedPrev) {
      return fail(
        'prev_hash_mismatch',
        `prevHash ${entry.prevHash} is not the previous entry's hash ${expectedPrev}`,
        entry.seq,
      );
    }
    const recomputed = await hashEntry(entry);
    if (entry.hash !== recomputed) {
      return fail(
        'hash_mismatch',
        `hash ${entry.hash} does not match the entry's content (recomputed ${recomputed})`,
        entry.seq,
      );
    }
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return { valid: true, count: entries.length, head: previous ? previous.hash : firstPrevHash };
}

/** A setting change as an audit entry records it: which fields, and a digest instead of values. */
export interface ChangeDetails {
  /** Dotted paths of the leaves that changed, sorted (e.g. `collection.end`, `content.en.title`). */
  readonly changedFields: string[];
  /** {@link digest} of `{ before, after }`, each mapping the changed paths to their values. */
  readonly digest: string;
}

function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      leaves(child, prefix ? `${prefix}.${key}` : key, out);
    }
  } else if (prefix) {
    out.set(prefix, value);
  }
}

/**
 * The details of a setting change, without copying its content: the dotted paths that changed
 * (objects are walked, arrays compared whole) and a digest of the old and new values of those
 * paths, so whoever holds both versions can prove which change an entry records.
 */
export async function changeDetails(before: unknown, after: unknown): Promise<ChangeDetails> {
  const old = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  leaves(before ?? {}, '', old);
  leaves(after ?? {}, '', now);
  const changedFields = [...new Set([...old.keys(), ...now.keys()])]
    .filter((path) => canonicalize(old.get(path)) !== canonicalize(now.get(path)))
    .sort();
  const pick = (values: Map<string, unknown>) =>
    Object.fromEntries(changedFields.filter((p) => values.has(p)).map((p) => [p, values.get(p)]));
  return { changedFields, digest: await digest({ before: pick(old), after: pick(now) }) };
}
