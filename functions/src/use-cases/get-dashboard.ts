import { MINIMUM_MEMBER_STATES_AT_THRESHOLD, MINIMUM_TOTAL_SIGNATORIES } from '@ocs/shared';
import type { DailyCount, Dashboard } from '@ocs/shared/contract/admin-api';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { brusselsDate } from '@ocs/shared/initiative';
import type { Clock, DayCounts, InitiativeStore, ProgressStore } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { progressOf } from './get-progress';

/** Days of the rate the projection extrapolates: the last full week. */
export const PROJECTION_WINDOW_DAYS = 7;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `first` to `last`, both included. */
function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  return dates;
}

type Counts = Record<MemberStateCode, number>;

const zeroCounts = (): Counts => Object.fromEntries(MEMBER_STATES.map((code) => [code, 0])) as Counts;

/** What the projection needs: per-day counts, the thresholds, today and the collection end. */
export interface ProjectionInput {
  /** Counted statements per day and country, in date order, none after `today`. */
  readonly days: readonly DayCounts[];
  readonly thresholds: Readonly<Record<MemberStateCode, number>>;
  /** Today, Brussels date. */
  readonly today: string;
  readonly collectionEnd: string;
}

function goalMet(totals: Counts, thresholds: ProjectionInput['thresholds']): boolean {
  let total = 0;
  let atThreshold = 0;
  for (const code of MEMBER_STATES) {
    total += totals[code];
    if (totals[code] >= thresholds[code]) atThreshold += 1;
  }
  return total >= MINIMUM_TOTAL_SIGNATORIES && atThreshold >= MINIMUM_MEMBER_STATES_AT_THRESHOLD;
}

/**
 * The date the initiative meets both conditions of Art. 3(1) of Regulation (EU) 2019/788
 * (1,000,000 signatories, 7 Member States at their Annex I threshold).
 *
 * - Already met: the first day on which the running totals met both.
 * - Otherwise, at the current rate: each Member State's mean daily count over the last
 *   PROJECTION_WINDOW_DAYS full days (yesterday and before; fewer when the first statement is
 *   more recent; today alone when every statement is from today). The total reaches 1,000,000
 *   after ceil(missing / total rate) days; a Member State its threshold after ceil(missing / its
 *   rate) days, and the seventh of them to get there fixes the day for the countries. The later
 *   of the two, counted from today.
 * - null when the rate never gets there (too few Member States with a rate) or only after the
 *   collection ends.
 */
export function projectGoalDate(input: ProjectionInput): string | null {
  const { days, thresholds, today } = input;
  const first = days[0];
  if (!first) return null;

  const totals = zeroCounts();
  for (const day of days) {
    for (const code of MEMBER_STATES) totals[code] += day.counts[code] ?? 0;
    if (goalMet(totals, thresholds)) return day.date;
  }

  const windowStart = [addDays(today, -PROJECTION_WINDOW_DAYS), first.date].sort().at(-1) as string;
  const windowEnd = addDays(today, -1);
  const window =
    windowStart <= windowEnd
      ? days.filter((d) => d.date >= windowStart && d.date <= windowEnd)
      : days.filter((d) => d.date === today);
  const length = windowStart <= windowEnd ? datesBetween(windowStart, windowEnd).length : 1;
  const rates = zeroCounts();
  for (const day of window) {
    for (const code of MEMBER_STATES) rates[code] += (day.counts[code] ?? 0) / length;
  }

  let total = 0;
  let totalRate = 0;
  let atThreshold = 0;
  const countryDays: number[] = [];
  for (const code of MEMBER_STATES) {
    total += totals[code];
    totalRate += rates[code];
    const missing = thresholds[code] - totals[code];
    if (missing <= 0) atThreshold += 1;
    else if (rates[code] > 0) countryDays.push(Math.ceil(missing / rates[code]));
  }
  const missingTotal = MINIMUM_TOTAL_SIGNATORIES - total;
  if (missingTotal > 0 && totalRate <= 0) return null;
  const daysForTotal = missingTotal > 0 ? Math.ceil(missingTotal / totalRate) : 0;
  const stillNeeded = MINIMUM_MEMBER_STATES_AT_THRESHOLD - atThreshold;
  countryDays.sort((a, b) => a - b);
  const daysForCountries = stillNeeded > 0 ? countryDays[stillNeeded - 1] : 0;
  if (daysForCountries === undefined) return null;
  const projected = addDays(today, Math.max(daysForTotal, daysForCountries));
  return projected <= input.collectionEnd ? projected : null;
}

/** One entry per date from the first counted day to today, zero days included. */
export function dailyCounts(days: readonly DayCounts[], today: string): DailyCount[] {
  const first = days[0];
  if (!first) return [];
  const byDate = new Map(
    days.map((d) => [d.date, Object.values(d.counts).reduce((n, c) => n + (c ?? 0), 0)]),
  );
  const last = [today, days.at(-1)?.date ?? today].sort().at(-1) as string;
  return datesBetween(first.date, last).map((date) => ({ date, count: byDate.get(date) ?? 0 }));
}

/**
 * The organisers' dashboard (GET /api/admin/dashboard).
 * Input: none. Output: `Dashboard`, of the current mode (test statements while in test mode).
 * Steps: read the initiative (mode, registration date, collection end); read the counter items
 * of that mode per day; sum them per country (all 27, zeros included) against the Annex I
 * thresholds; list the days from the first statement to today; project the goal date
 * (`projectGoalDate`).
 */
export async function getDashboard(deps: {
  initiatives: InitiativeStore;
  progress: ProgressStore;
  clock: Clock;
}): Promise<Dashboard> {
  const state = await deps.initiatives.state();
  if (!state) throw new InitiativeNotConfiguredError();
  const { initiative } = state;
  const days = await deps.progress.readDays(state.lifecycle.mode);
  const today = brusselsDate(deps.clock.now());
  const totals = zeroCounts();
  for (const day of days) {
    for (const code of MEMBER_STATES) totals[code] += day.counts[code] ?? 0;
  }
  const progress = progressOf(totals, initiative.registrationDate);
  const thresholds = Object.fromEntries(
    MEMBER_STATES.map((code) => [code, progress.countries[code].threshold]),
  ) as Counts;
  return {
    total: progress.total,
    byCountry: totals,
    countriesAtThreshold: progress.countriesAtThreshold,
    daily: dailyCounts(days, today),
    projectedGoalDate: projectGoalDate({
      days: days.filter((d) => d.date <= today),
      thresholds,
      today,
      collectionEnd: initiative.collection.end,
    }),
  };
}
