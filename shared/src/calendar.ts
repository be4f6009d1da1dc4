/**
 * Calendar arithmetic on `YYYY-MM-DD` dates, free of any dependency so that the browser's pages
 * can use it without loading the schemas (zod) of `initiative.ts`.
 */

/** `YYYY-MM-DD` plus `months` calendar months (day clamped to the month's length). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Months from the start of the collection to the outer limit for destroying the statements
 * (Commission Data Protection Guidance Q16: at the latest 21 months after the collection starts).
 */
export const STATEMENT_RETENTION_MONTHS = 21;

/** The outer destruction deadline of the statements of a collection that starts on `start`. */
export function statementDestructionDeadlineFrom(start: string): string {
  return addMonths(start, STATEMENT_RETENTION_MONTHS);
}
