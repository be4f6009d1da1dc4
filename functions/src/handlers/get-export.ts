import type { ExportSink } from '@ocs/shared/export';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { exportView, readExport } from '../use-cases/export-jobs';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';
import { makeExportJobStore, makeExportSink } from '../wiring-exports';
import type { ExportRoutePorts } from './request-export';

/** The ports of the routes that read jobs: a dead run is failed and its files discarded on reading. */
export type ReadExportPorts = ExportRoutePorts & { sink: ExportSink };

/**
 * GET /api/admin/exports/{id}: the export, its state, who requested and approved it, its progress
 * while it runs, and its files and manifest hash once done. 404 for an unknown id.
 */
export function createGetExportHandler(ports: ReadExportPorts) {
  return organiserHandler('getExport', ports, async (event) =>
    json(200, exportView(await readExport(ports, event.pathParameters?.id))),
  );
}

/** The read routes' ports over the adapters `config` selects. */
export function readExportPorts(cfg: Config): ReadExportPorts {
  const db = makeDynamoClient(cfg);
  return {
    ...makeOrganiserAuditPorts(cfg, db),
    jobs: makeExportJobStore(cfg, db),
    sink: makeExportSink(cfg),
  };
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetExportHandler(readExportPorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
