import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import type { CountryProgress, Progress } from './api.ts';

/** One Member State's progress towards its Annex I minimum. */
export interface CountryRow {
  readonly code: MemberStateCode;
  readonly count: number;
  readonly threshold: number;
  /** count / threshold (0 when the threshold is unknown). */
  readonly ratio: number;
  readonly reached: boolean;
}

/** Progress class of a ratio, for the map's colour and legend. */
export type ProgressBand = 'none' | 'low' | 'mid' | 'high' | 'reached';

export function band(ratio: number): ProgressBand {
  if (ratio >= 1) return 'reached';
  if (ratio >= 0.5) return 'high';
  if (ratio >= 0.25) return 'mid';
  if (ratio > 0) return 'low';
  return 'none';
}

/** The 27 rows, most advanced first (then by protocol order), zero counts included. */
export function countryRows(progress: Progress): CountryRow[] {
  return MEMBER_STATES.map((code) => {
    const entry: CountryProgress = progress.countries[code] ?? { count: 0, threshold: 0 };
    const ratio = entry.threshold > 0 ? entry.count / entry.threshold : 0;
    return {
      code,
      count: entry.count,
      threshold: entry.threshold,
      ratio,
      reached: entry.threshold > 0 && ratio >= 1,
    };
  }).sort((a, b) => b.ratio - a.ratio || MEMBER_STATES.indexOf(a.code) - MEMBER_STATES.indexOf(b.code));
}
