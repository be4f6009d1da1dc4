import type { DailyCount } from '@ocs/shared/contract/admin-api';
import { brusselsDate } from '@ocs/shared/initiative';
import { MINIMUM_TOTAL_SIGNATORIES } from '@ocs/shared/rulebook/thresholds';
import { intlLocale } from '#lib/format.ts';

/** Dates and rates the console shows: countdowns to deadlines, the pace of the collection. */

const DAY_MS = 86_400_000;

function utcDay(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return Number.NaN;
  return Date.UTC(y, m - 1, d);
}

/**
 * Whole calendar days from today to `isoDate` (`YYYY-MM-DD`): positive ahead, 0 today, negative
 * past. "Today" is the Brussels date, the calendar the deadlines are kept in.
 */
export function daysUntil(isoDate: string, now: Date): number {
  return Math.round((utcDay(isoDate) - utcDay(brusselsDate(now))) / DAY_MS);
}

/** "in 42 days", "tomorrow", "today", "3 days ago", in the console's language. */
export function formatCountdown(lang: string, days: number): string {
  return new Intl.RelativeTimeFormat(intlLocale(lang), { numeric: 'auto' }).format(days, 'day');
}

/**
 * Statements a day over the last `window` days of the daily series (days without statements
 * count as zero; the window ends on the series' last day).
 */
export function dailyRate(daily: readonly DailyCount[], window = 7): number {
  const last = daily.at(-1);
  if (!last || window <= 0) return 0;
  const end = utcDay(last.date);
  const start = end - (window - 1) * DAY_MS;
  const sum = daily
    .filter((day) => {
      const t = utcDay(day.date);
      return t >= start && t <= end;
    })
    .reduce((total, day) => total + day.count, 0);
  return sum / window;
}

/** What the dashboard says about reaching the goal. */
export type GoalOutlook =
  | { readonly kind: 'reached' }
  | { readonly kind: 'projected'; readonly date: string; readonly days: number }
  | { readonly kind: 'unknown' };

export function goalOutlook(total: number, projectedGoalDate: string | null, now: Date): GoalOutlook {
  if (total >= MINIMUM_TOTAL_SIGNATORIES) return { kind: 'reached' };
  if (!projectedGoalDate) return { kind: 'unknown' };
  return { kind: 'projected', date: projectedGoalDate, days: daysUntil(projectedGoalDate, now) };
}
