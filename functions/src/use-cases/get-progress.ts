import { minimumSignatories } from '@ocs/shared';
import type { CountryProgress, Progress } from '@ocs/shared/contract/citizen-api';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import type { Clock, CountryCounts, InitiativeStore, ProgressStore } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';

/**
 * Progress of the collection (GET /api/progress).
 * Input: none. Output: total, all 27 Member States with count and Annex I threshold (zero
 * counts included), how many reached their threshold, and when this was computed.
 * Steps: read the initiative (its registration date fixes the Annex I table; its mode says which
 * counts: the test statements' in test mode) and the summed counter shards of that mode; fill in
 * every Member State.
 */
export async function getProgress(deps: {
  initiatives: InitiativeStore;
  progress: ProgressStore;
  clock: Clock;
}): Promise<Progress> {
  const state = await deps.initiatives.state();
  if (!state) throw new InitiativeNotConfiguredError();
  const { initiative } = state;
  const counts = await deps.progress.read(state.lifecycle.mode);
  return { ...progressOf(counts, initiative.registrationDate), updatedAt: deps.clock.now().toISOString() };
}

/**
 * Every Member State's count against its Annex I threshold (the table of `registrationDate`),
 * the total and how many Member States reached their threshold.
 */
export function progressOf(counts: CountryCounts, registrationDate: string): Omit<Progress, 'updatedAt'> {
  let total = 0;
  let countriesAtThreshold = 0;
  const countries = {} as Record<MemberStateCode, CountryProgress>;
  for (const code of MEMBER_STATES) {
    const count = counts[code] ?? 0;
    const threshold = minimumSignatories(code, registrationDate);
    countries[code] = { count, threshold };
    total += count;
    if (count >= threshold) countriesAtThreshold += 1;
  }
  return { total, countries, countriesAtThreshold };
}
