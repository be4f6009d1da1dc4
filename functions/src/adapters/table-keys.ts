import type { MemberStateCode } from '@ocs/shared/statement';

/**
 * The single table's item layout. Every key is derived here so the layout is in one place.
 *
 * | item        | pk                      | sk          | why this key                                   |
 * |-------------|-------------------------|-------------|------------------------------------------------|
 * | statement   | `S#<dedup HMAC hex>`    | `S`         | uniform spread: no hot partition per country    |
 * | e-mail      | `E#<statement id>`      | `E`         | apart from the statement, own retention         |
 * | counter     | `C#<shard>`             | `<country>` | shards spread one country's writes; 1 query each |
 * | data key    | `K#<ref>`               | `K`         | one record per data key, referenced by items    |
 * | challenge   | `A#<challenge nonce>`   | `A`         | single use of proof-of-work challenges          |
 * | dup. answer | `D#<answer HMAC hex>`   | `D`         | a retry of a duplicate gets the same answer     |
 * | initiative  | `INITIATIVE`            | `CONFIG`    | one initiative per deployment                   |
 */
export const keys = {
  statement: (dedupKey: string) => ({ pk: `S#${dedupKey}`, sk: 'S' }),
  email: (statementId: string) => ({ pk: `E#${statementId}`, sk: 'E' }),
  counter: (shard: number, country: MemberStateCode) => ({ pk: `C#${shard}`, sk: country }),
  counterPartition: (shard: number) => `C#${shard}`,
  dataKey: (ref: string) => ({ pk: `K#${ref}`, sk: 'K' }),
  challenge: (nonce: string) => ({ pk: `A#${nonce}`, sk: 'A' }),
  duplicateAnswer: (answerKey: string) => ({ pk: `D#${answerKey}`, sk: 'D' }),
  initiative: () => ({ pk: 'INITIATIVE', sk: 'CONFIG' }),
} as const;

/** A DynamoDB key attribute map from a `{ pk, sk }` pair. */
export function keyAttributes(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
