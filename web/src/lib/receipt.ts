/**
 * The receipt of a signature travels from the sign page to the receipt page in the URL fragment
 * (never sent to any server, so never in a log) and in session storage (this tab only).
 */

export interface StoredReceipt {
  readonly receipt: string;
  readonly submittedAt: string;
}

const KEY = 'ocs.receipt';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the form of a receipt (a UUID; the API compares it in lower case). */
export function isReceipt(value: string): boolean {
  return UUID.test(value);
}

export function saveReceipt(receipt: StoredReceipt): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(receipt));
  } catch {
    // Storage disabled: the fragment still carries the identifier.
  }
}

/** The receipt to show: the fragment's identifier (with its date when this tab stored it). */
export function readReceipt(hash: string): StoredReceipt | null {
  let stored: StoredReceipt | null = null;
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object' && 'receipt' in parsed && 'submittedAt' in parsed) {
      stored = parsed as StoredReceipt;
    }
  } catch {
    stored = null;
  }
  const fromHash = decodeURIComponent(hash.replace(/^#/, ''));
  if (UUID.test(fromHash)) {
    return stored?.receipt === fromHash ? stored : { receipt: fromHash, submittedAt: '' };
  }
  return stored && UUID.test(stored.receipt) ? stored : null;
}
