import type { ExportView } from '@ocs/shared/contract/exports-api';
import { EXPORT_FILES, type ExportState } from '@ocs/shared/export-job';
import type { ExportFileKey } from './admin-api.ts';

/** What the exports page derives from the API's `ExportView`s (pure, for unit tests). */

/** The name a file of an export downloads as: `DE.xml`, `manifest.json`, `emails.csv`. */
export function exportFileName(file: ExportFileKey): string {
  if (file === 'manifest') return EXPORT_FILES.manifest.name;
  if (file === 'emails') return EXPORT_FILES.emails.name;
  return EXPORT_FILES.country(file).name;
}

/**
 * A short name for an export in headings: the first 8 digits of its random part (ids start with
 * the request instant, so two exports of one day would share their first characters).
 */
export function shortExportId(id: string): string {
  const random = id.split('-').at(-1) ?? id;
  return (random || id).slice(0, 8);
}

/** States in which the run is still to come or going on: the page reads the list again meanwhile. */
export function isInProgress(state: ExportState): boolean {
  return state === 'approved' || state === 'running';
}

/** Whether the page should keep reading the list (an export is approved or running). */
export function anyInProgress(exports: readonly Pick<ExportView, 'state'>[]): boolean {
  return exports.some((item) => isInProgress(item.state));
}
