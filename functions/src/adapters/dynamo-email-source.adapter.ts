import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EmailSource, ExportFailedError, type SealedEmail } from '@ocs/shared/export';
import { modeOf, scanFamily, sealedDataOf } from './dynamo-statement-source.adapter';
import { keys, SCAN_ATTRIBUTES } from './table-keys';

const EMAIL_KEY = keys.email('');

/**
 * The e-mail items of the table (`E#<statement id>`), for the e-mail export: a parallel, strongly
 * consistent Scan filtered to e-mail items and projected to what the export needs. An item without
 * `mode` is live. An incomplete item fails the export (`malformed_statement`).
 */
export class DynamoEmailSource implements EmailSource {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: { readonly pageSize?: number } = {},
  ) {}

  scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedEmail[]> {
    return scanFamily(this.db, this.tableName, {
      segment,
      totalSegments,
      key: EMAIL_KEY,
      attributes: SCAN_ATTRIBUTES.emails,
      pageSize: this.options.pageSize,
      read: emailOf,
    });
  }
}

/** A raw e-mail item as a `SealedEmail`. */
export function emailOf(item: Record<string, AttributeValue>): SealedEmail {
  const pk = item.pk?.S ?? '';
  const expires = Number(item.expiresAt?.N);
  if (!pk.startsWith(EMAIL_KEY.pk) || !Number.isInteger(expires))
    throw new ExportFailedError('malformed_statement');
  return {
    statementId: pk.slice(EMAIL_KEY.pk.length),
    mode: modeOf(item),
    expiresAtEpochSeconds: expires,
    sealed: sealedDataOf(item),
  };
}
