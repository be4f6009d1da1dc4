import { ExportFailedError, type SealedStatement } from '@ocs/shared/export';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';

/**
 * A sealed statement as the external sort carries it: one compact Buffer whose first
 * `SORT_KEY_BYTES` are the sort key, `country | submittedAt | statementId` in fixed-width ASCII,
 * so byte order is the export's order (country files in code order, then time of submission,
 * then identifier, which is unique: the order is total and never depends on how the source was
 * read). The personal data stays sealed: runs spilled to disk hold ciphertext only.
 *
 * Layout: key (62) | annexRevision u16 | ref length u8 | ref | iv length u8 | iv | ciphertext length u32 | ciphertext.
 */

const COUNTRY_BYTES = 2;
const INSTANT_BYTES = 24;
const ID_BYTES = 36;
export const SORT_KEY_BYTES = COUNTRY_BYTES + INSTANT_BYTES + ID_BYTES;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REF = /^[\x21-\x7e]{1,255}$/;
const COUNTRIES: ReadonlySet<string> = new Set(MEMBER_STATES);

/** What the writing phase needs of a statement, decoded from its entry. */
export interface SortedStatement {
  readonly country: MemberStateCode;
  readonly submittedAt: string;
  readonly statementId: string;
  readonly annexRevision: number;
  readonly dataKeyRef: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Encodes a statement; a field in an unexpected form fails the export (`malformed_statement`). */
export function encodeEntry(s: SealedStatement): Buffer {
  const { dataKeyRef, iv, ciphertext } = s.personalData;
  if (
    !COUNTRIES.has(s.country) ||
    !INSTANT.test(s.submittedAt) ||
    !UUID.test(s.statementId) ||
    !Number.isInteger(s.annexRevision) ||
    s.annexRevision < 0 ||
    s.annexRevision > 0xffff ||
    !REF.test(dataKeyRef) ||
    iv.length === 0 ||
    iv.length > 0xff
  ) {
    throw new ExportFailedError('malformed_statement');
  }
  const size = SORT_KEY_BYTES + 2 + 1 + dataKeyRef.length + 1 + iv.length + 4 + ciphertext.length;
  const entry = Buffer.allocUnsafe(size);
  let at = entry.write(s.country, 0, 'latin1');
  at += entry.write(s.submittedAt, at, 'latin1');
  at += entry.write(s.statementId, at, 'latin1');
  at = entry.writeUInt16BE(s.annexRevision, at);
  at = entry.writeUInt8(dataKeyRef.length, at);
  at += entry.write(dataKeyRef, at, 'latin1');
  at = entry.writeUInt8(iv.length, at);
  entry.set(iv, at);
  at = entry.writeUInt32BE(ciphertext.length, at + iv.length);
  entry.set(ciphertext, at);
  return entry;
}

/** Decodes an entry (views into it, no copies of the sealed bytes). */
export function decodeEntry(entry: Buffer): SortedStatement {
  let at = SORT_KEY_BYTES;
  const annexRevision = entry.readUInt16BE(at);
  at += 2;
  const refLength = entry.readUInt8(at);
  at += 1;
  const dataKeyRef = entry.toString('latin1', at, at + refLength);
  at += refLength;
  const ivLength = entry.readUInt8(at);
  at += 1;
  const iv = entry.subarray(at, at + ivLength);
  at += ivLength;
  const ciphertextLength = entry.readUInt32BE(at);
  at += 4;
  return {
    country: entry.toString('latin1', 0, COUNTRY_BYTES) as MemberStateCode,
    submittedAt: entry.toString('latin1', COUNTRY_BYTES, COUNTRY_BYTES + INSTANT_BYTES),
    statementId: entry.toString('latin1', COUNTRY_BYTES + INSTANT_BYTES, SORT_KEY_BYTES),
    annexRevision,
    dataKeyRef,
    iv,
    ciphertext: entry.subarray(at, at + ciphertextLength),
  };
}

/** Byte order of the sort keys of two entries. */
export function compareEntries(a: Buffer, b: Buffer): number {
  return a.compare(b, 0, SORT_KEY_BYTES, 0, SORT_KEY_BYTES);
}
