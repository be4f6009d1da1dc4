/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, in the proleptic Gregorian calendar, without time
 * zones: a birth date and a signing day are calendar dates, not instants.
 */

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when year/month/day name a real calendar date (year 1-9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Formats a real date as `YYYY-MM-DD`. */
export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Shape of a parsed date. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Parses `YYYY-MM-DD`. Returns `'format'` when the shape is wrong and `'date'` when the shape is
 * right but the date does not exist (2023-02-30).
 */
export function parseIsoDate(value: string): DateParts | 'format' | 'date' {
  const match = ISO_DATE.exec(value);
  if (!match) return 'format';
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isRealDate(year, month, day) ? { year, month, day } : 'date';
}

/**
 * The day on which a person born on `birthDate` reaches `years` of age (`YYYY-MM-DD`).
 * The birthday counts on the day itself; someone born on 29 February reaches an age on
 * 1 March in years that are not leap years (the rule of most EU civil codes).
 */
export function dateOfReachingAge(birth: DateParts, years: number): string {
  const year = birth.year + years;
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return formatDate(year, 3, 1);
  return formatDate(year, birth.month, birth.day);
}

/** True when a person born on `birthDate` has reached `years` of age on `today` (both `YYYY-MM-DD`). */
export function hasReachedAge(birthDate: string, years: number, today: string): boolean {
  const birth = parseIsoDate(birthDate);
  if (typeof birth === 'string') return false;
  return dateOfReachingAge(birth, years) <= today;
}

/** The earliest date of birth the rulebook accepts: nobody alive was born before it. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';
