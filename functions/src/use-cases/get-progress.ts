import { minimumSignatories } from '@ocs/shared';
import type { CountryProgress, Progress } from '@ocs/shared/contract/citizen-api';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import type { Clock, InitiativeStore, ProgressStore } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';

/**
 * Progress of the collection (GET /api/progress).
 * Input: none. Output: total, all 27 Member States with count and Annex I threshold (zero
 * counts included), how many reached their threshold, and when this was computed.
 * Steps: read the initiative (its registration date fixes the Annex I table) and the summed
 * counter shards; fill in every Member State.
 */
export async function getProgress(deps: {
  initiatives: InitiativeStore;
  progress: ProgressStore;
  clock: Clock;
}): Promise<Progress> {
  const [initiative, counts] = await Promise.all([deps.initiatives.get(), deps.progress.read()]);
  if (!initiative) throw new InitiativeNotConfiguredError();
  let total = 0;
  let countriesAtThreshold = 0;
  const countries = {} as Record<MemberStateCode, CountryProgress>;
  for (const code of MEMBER_STATES) {
    const count = counts[code] ?? 0;
    const threshold = minimumSignatories(code, initiative.registrationDate);
    countries[code] = { count, threshold };
    total += count;
    if (count >= threshold) countriesAtThreshold += 1;
  }
  return { total, countries, countriesAtThreshold, updatedAt: deps.clock.now().toISOString() };
}
