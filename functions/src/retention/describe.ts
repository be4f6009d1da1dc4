import type { RetentionOutcome } from '../use-cases/run-retention';

/** One line for people (the local server's output, `npm run retention`): counts and dates only. */
export function describeOutcome(outcome: RetentionOutcome): string {
  switch (outcome.status) {
    case 'not_due':
      return `retention: nothing to destroy yet; the collection data will be destroyed on ${outcome.deadline} (${outcome.rule})`;
    case 'busy':
      return 'retention: another run of the destruction job is in progress; nothing done';
    case 'incomplete':
      return 'retention: stopped before the end; the next run resumes where this one stopped';
    case 'destroyed': {
      const key = `statement key destroyed (gone for good on ${outcome.keyDestruction.deletionDate.slice(0, 10)})`;
      if (!outcome.certificate)
        return `retention: collection data already destroyed; nothing left to delete; ${key}`;
      const c = outcome.certificate;
      return [
        `retention: destroyed ${c.statementsDestroyed} statements, ${c.emailsDestroyed} e-mail addresses`,
        ` and ${c.exportsDestroyed} export files; certificate in the audit trail`,
        ` (deadline ${c.deadline}, ${c.met ? 'met' : 'LATE'}); ${key}`,
      ].join('');
    }
  }
}
