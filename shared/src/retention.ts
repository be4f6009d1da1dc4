import { addMonths } from './initiative';

/**
 * When the statements of support must be destroyed. The Commission's data protection guidance for
 * organisers (question 16, citizens-initiative.europa.eu/data-protection-guidance-question-16_en)
 * says: at the latest one month after the initiative is submitted to the Commission, and in any
 * case 21 months after the collection period starts; one month after the organisers withdraw the
 * initiative. The earliest of the deadlines that apply is the one to meet.
 */

/** Which rule set the deadline. */
export type DestructionRule =
  | 'collection_start_plus_21_months'
  | 'submission_plus_1_month'
  | 'withdrawal_plus_1_month';

/** The destruction deadline (`YYYY-MM-DD`, a Brussels calendar date) and the rule that set it. */
export interface DestructionDeadline {
  readonly deadline: string;
  readonly rule: DestructionRule;
}

/** The facts the deadline depends on (`YYYY-MM-DD` each). */
export interface RetentionFacts {
  readonly collectionStart: string;
  /** The date the initiative was submitted to the Commission, once it was. */
  readonly submittedOn?: string | undefined;
  /** The date the organisers withdrew the initiative, if they did. */
  readonly withdrawnOn?: string | undefined;
}

/**
 * The earliest deadline that applies: 21 months after the collection start, one month after the
 * submission, one month after a withdrawal. "N months after" a date is the same day number N
 * months later, or that month's last day when it is shorter (31 January + 1 month = 28 or 29
 * February): `addMonths`. On a tie the event (submission, then withdrawal) names the rule, as it
 * is what brought the deadline to that day.
 */
export function destructionDeadline(facts: RetentionFacts): DestructionDeadline {
  const candidates: DestructionDeadline[] = [];
  if (facts.submittedOn) {
    candidates.push({ deadline: addMonths(facts.submittedOn, 1), rule: 'submission_plus_1_month' });
  }
  if (facts.withdrawnOn) {
    candidates.push({ deadline: addMonths(facts.withdrawnOn, 1), rule: 'withdrawal_plus_1_month' });
  }
  candidates.push({
    deadline: addMonths(facts.collectionStart, 21),
    rule: 'collection_start_plus_21_months',
  });
  // Stable: the first of equal deadlines wins, so the order above is the tie-break.
  return candidates.reduce((earliest, c) => (c.deadline < earliest.deadline ? c : earliest));
}
