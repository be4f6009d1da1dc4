/**
 * The signing day: the calendar date against which age and "not in the future" are checked.
 */

const FOURTEEN_HOURS_MS = 14 * 60 * 60 * 1000;

/**
 * The calendar date (`YYYY-MM-DD`) at UTC+14, the earliest date on Earth (Line Islands, Kiribati).
 *
 * Why: the law asks that the signatory has reached the minimum age "on the day of signing", and that
 * day is the citizen's local date, which the server cannot know. Taking the earliest date in any
 * time zone means no citizen whose birthday has already come where they are is refused. The cost is
 * that someone west of UTC+14 may sign up to one day before their local birthday; the Member
 * States verify the statements anyway. The browser and the server call this same function with
 * their clocks, so both agree. Throws a RangeError for an invalid Date.
 */
export function signingDay(now: Date): string {
  return new Date(now.getTime() + FOURTEEN_HOURS_MS).toISOString().slice(0, 10);
}
