import { ExportFailedError } from '@ocs/shared/export';
import { MEMBER_STATES } from '@ocs/shared/statement';
import * as z from 'zod';
import { config } from '../config/config';
import { logger } from '../http/logger';
import { makeRunExport } from './wiring';

/** What starts an export: the organiser API (asynchronous invoke) or a Step Functions task. */
export const exportEventSchema = z.strictObject({
  exportId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  countries: z.union([z.literal('all'), z.array(z.enum(MEMBER_STATES)).min(1)]),
});

export type ExportEvent = z.infer<typeof exportEventSchema>;

// Composition root (cold start). This is the only function whose role may Decrypt statement data
// keys (the key policy says so, under the statements' encryption context).
const runExport = makeRunExport(config());

/**
 * The export function: runs one export to the end and answers its manifest lines. Logs carry the
 * export id, counts and phases only. A failure is logged by its code and rethrown, so the caller
 * (Step Functions, or the API's asynchronous invoke) records the export as failed.
 */
export async function handler(event: unknown) {
  const request = exportEventSchema.parse(event);
  const log = logger.createChild({ persistentKeys: { exportId: request.exportId } });
  log.info('export started', { countries: request.countries === 'all' ? 'all' : request.countries.length });
  try {
    const result = await runExport.execute(request, (progress) =>
      log.info('export progress', { ...progress }),
    );
    log.info('export done', { ...result.stats, files: result.files.length });
    return {
      exportId: result.exportId,
      createdAt: result.createdAt,
      files: result.files,
      manifestSha256: result.manifestSha256,
    };
  } catch (error) {
    log.error('export failed', {
      reason: error instanceof ExportFailedError ? error.reason : 'error',
      errorName: error instanceof Error ? error.name : typeof error,
    });
    throw error;
  }
}
