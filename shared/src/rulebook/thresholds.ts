/**
 * Annex I thresholds: the minimum number of signatories per Member State is its number of MEPs
 * multiplied by the total number of MEPs, both taken at the time of registration of the initiative
 * (Art. 3(1)(b) of Regulation (EU) 2019/788).
 */
import type { MemberStateCode } from '../statement';
import { parseIsoDate } from './dates';
import { MEMBER_STATE_RULES } from './member-states';

/** Total MEPs for the 2024-2029 term (European Council Decision (EU) 2023/2061). */
export const TOTAL_MEPS_2024 = 720;
/** Total MEPs for the 2019-2024 term after the UK's withdrawal. */
export const TOTAL_MEPS_2019 = 705;
/**
 * First registration date under the 720-seat Annex I (date of the consolidated text that contains
 * Delegated Regulation (EU) 2024/1082; inferred, not read in the regulation itself).
 */
export const ANNEX_I_720_FROM = '2024-05-02';
/** An initiative needs at least this many signatories in total (Art. 3(1)(a)). */
export const MINIMUM_TOTAL_SIGNATORIES = 1_000_000;
/** … from at least a quarter of the Member States, each reaching its Annex I minimum. */
export const MINIMUM_MEMBER_STATES_AT_THRESHOLD = 7;

/**
 * The Annex I minimum number of signatories of a Member State for an initiative registered on
 * `registrationDate` (`YYYY-MM-DD`): seats × 720 from 2024-05-02, the 2019-2024 seats × 705 before.
 * Registrations before 2020-01-01 fell under Regulation (EU) No 211/2011, which this rulebook does
 * not cover. Throws a RangeError for a malformed date (a programming error, not citizen input).
 */
export function minimumSignatories(code: MemberStateCode, registrationDate: string): number {
  if (typeof parseIsoDate(registrationDate) === 'string') {
    throw new RangeError('registrationDate must be a real date, YYYY-MM-DD.');
  }
  const rules = MEMBER_STATE_RULES[code];
  return registrationDate >= ANNEX_I_720_FROM
    ? rules.epSeats2024 * TOTAL_MEPS_2024
    : rules.epSeats2019 * TOTAL_MEPS_2019;
}
