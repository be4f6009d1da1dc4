import type { ExportKind } from '@ocs/shared/export-job';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { config } from '../config/config';
import { logger } from '../http/logger';
import { onFirstInvocation } from '../wiring';
import type { ExportJobRunner, RunOutcome } from './export-job-runner';
import { makeExportJobRunner } from './wiring';

/** What starts an export run: the approval's asynchronous invoke names the job, nothing else. */
export const exportEventSchema = z.strictObject({
  exportId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
});

export type ExportEvent = z.infer<typeof exportEventSchema>;

/**
 * Time the run keeps for itself before Lambda's timeout: on reaching it, the run stops, discards
 * its files and marks its job `timed_out`, rather than being killed mid-write (then its job would
 * only be given up as `interrupted` two minutes later, and its finished files left to the
 * bucket's lifecycle).
 */
export const RUN_MARGIN_MS = 60_000;

/**
 * The Lambda entry of an export function of one kind: runs the approved job the event names, once
 * (`ExportJobRunner`), within the function's time. Logs carry the export id, counts, phases and
 * codes only. A malformed event is refused before anything is read; a failed run is recorded in
 * its job (the function itself succeeds, so Lambda does not retry it).
 */
export function exportFunction(kind: ExportKind, build: () => ExportJobRunner) {
  const runner = onFirstInvocation<ExportEvent, { deadline?: number }, RunOutcome>(() => {
    const built = build();
    return (event, options) => built.run(event.exportId, options);
  });
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RunOutcome> => {
    const request = exportEventSchema.parse(event);
    const remaining = context?.getRemainingTimeInMillis();
    const outcome = await runner(
      request,
      remaining === undefined ? {} : { deadline: Date.now() + remaining - RUN_MARGIN_MS },
    );
    logger.info('export run ended', { exportId: request.exportId, kind, ...outcome });
    return outcome;
  };
}

/**
 * The statements export function: the only function whose role may Decrypt statement data keys
 * (the key policy says so, under the statements' encryption context).
 */
export const handler = exportFunction('statements', () => makeExportJobRunner(config(), 'statements'));
