/**
 * Withdrawal of a statement of support, by its receipt (docs/citizen-api.md, docs/admin-api.md):
 * `POST /api/withdrawals` (a citizen, with a proof of work) and `POST /api/admin/withdrawals` (an
 * organiser, on a citizen's written request). Both answer exactly {@link WITHDRAWAL_DONE} whether
 * or not a statement had that receipt: neither route tells anyone whether a person signed.
 */
import * as z from 'zod';

/** A receipt as the API hands it out: a UUID, compared in lower case. */
export const RECEIPT_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const receipt = z
  .string()
  .trim()
  .max(64)
  .regex(RECEIPT_PATTERN)
  .transform((value) => value.toLowerCase());

/** `POST /api/admin/withdrawals`: the receipt the citizen's written request names. */
export const adminWithdrawalRequestSchema = z.strictObject({ receipt });
export type AdminWithdrawalRequest = z.input<typeof adminWithdrawalRequestSchema>;

/**
 * `POST /api/withdrawals`: the receipt and the ALTCHA payload. A missing or empty payload is a
 * failed challenge (403), never a field error, as for a statement.
 */
export const withdrawalRequestSchema = z.strictObject({
  receipt,
  altcha: z.string().max(8192).optional(),
});
export type WithdrawalRequest = z.input<typeof withdrawalRequestSchema>;

/** The one answer of both withdrawal routes. */
export interface WithdrawalResponse {
  readonly status: 'done';
}

export const WITHDRAWAL_DONE: WithdrawalResponse = Object.freeze({ status: 'done' });
