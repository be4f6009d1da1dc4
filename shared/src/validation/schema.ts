/**
 * The zod schema of a statement for one nationality: a strict object with exactly the fields of
 * that nationality's Annex III part plus the common ones. It checks each field on its own (the
 * same field schemas `validateStatement` runs); the rules across fields are `validateStatement`'s.
 * Use it to derive documentation or types; validate statements with `validateStatement`.
 */
import * as z from 'zod';
import type { MemberStateCode } from '../statement';
import { statementShape } from './fields';

/** The strict object schema of a statement of the given nationality. */
export function statementSchema(
  nationality: MemberStateCode,
  options: { readonly today: string; readonly requireTransportFields?: boolean },
) {
  return z.strictObject(
    statementShape({
      nationality,
      today: options.today,
      requireTransportFields: options.requireTransportFields !== false,
    }),
  );
}
