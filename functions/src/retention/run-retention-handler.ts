import type { Context } from 'aws-lambda';
import { config } from '../config/config';
import { logger } from '../http/logger';
import type { RetentionOutcome, RunRetention } from '../use-cases/run-retention';
import { lazy } from '../wiring';
import { makeRunRetention } from './wiring';

/** Time kept back at the end of an invocation to save progress and release the job. */
export const STOP_MARGIN_MS = 60_000;

/** The run stopped before the end (time ran out): Lambda retries the event, the run resumes. */
export class RetentionIncompleteError extends Error {
  override readonly name = 'RetentionIncompleteError';
  constructor() {
    super('The destruction job stopped before its end; it resumes on the next invocation.');
  }
}

/** What a run's outcome says in the log: counts and dates, nothing personal. */
export function outcomeLog(outcome: RetentionOutcome): Record<string, unknown> {
  switch (outcome.status) {
    case 'not_due':
      return { status: outcome.status, deadline: outcome.deadline, rule: outcome.rule };
    case 'busy':
      return { status: outcome.status };
    case 'incomplete':
      return { status: outcome.status, counts: outcome.counts };
    case 'destroyed':
      return {
        status: outcome.status,
        deadline: outcome.deadline,
        certificate: outcome.certificate,
        counts: outcome.counts,
        keyDeletionDate: outcome.keyDestruction.deletionDate,
      };
  }
}

/**
 * The scheduled run (EventBridge, daily): runs the job until it is done or the invocation's time
 * nearly runs out. A run that had to stop throws, so Lambda retries the asynchronous event (twice,
 * minutes apart) and the run resumes where it stopped; the next day's run would too.
 */
export function createRunRetentionHandler(job: () => Promise<RunRetention>) {
  return async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const outcome = await (await job()).execute({
      shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS,
    });
    logger.info('retention run', outcomeLog(outcome));
    if (outcome.status === 'incomplete') throw new RetentionIncompleteError();
    return outcomeLog(outcome);
  };
}

/** The Lambda entry (built on the first invocation, once per execution environment). */
export const handler = createRunRetentionHandler(lazy(() => makeRunRetention(config())));
