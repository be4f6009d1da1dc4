/** Locale-aware formatting of numbers and calendar dates (`YYYY-MM-DD`, no time zone). */

/** The Intl locale of a site language: English as written in the EU (28 October 2027, 1,000,000). */
export function intlLocale(lang: string): string {
  return lang === 'en' ? 'en-IE' : lang;
}

export function formatNumber(lang: string, value: number): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(value);
}

export function formatPercent(lang: string, ratio: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits }).format(ratio);
}

/** A calendar date, e.g. `2027-10-31` as "31 October 2027" (in the page's language). */
export function formatDate(lang: string, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant, e.g. `2026-11-28T10:00:00Z`, as date and time in the visitor's time zone. */
export function formatDateTime(lang: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeStyle: 'short' }).format(date);
}
