import type { ExportList } from '@ocs/shared/contract/exports-api';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { exportView, listExports } from '../use-cases/export-jobs';
import { onFirstInvocation } from '../wiring';
import { type ReadExportPorts, readExportPorts } from './get-export';

/** GET /api/admin/exports: every export, newest first (the console's history and progress). */
export function createListExportsHandler(ports: ReadExportPorts) {
  return organiserHandler('listExports', ports, async () => {
    const body: ExportList = { exports: (await listExports(ports)).map(exportView) };
    return json(200, body);
  });
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createListExportsHandler(readExportPorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
