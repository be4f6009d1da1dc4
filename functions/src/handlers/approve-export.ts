import type { ExportLauncher } from '@ocs/shared/export-job';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { approveExport, exportView } from '../use-cases/export-jobs';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';
import { makeExportJobStore, makeExportLauncher } from '../wiring-exports';
import type { ExportRoutePorts } from './request-export';

/**
 * POST /api/admin/exports/{id}/approve: a second organiser approves a requested export, which then
 * starts (an asynchronous invoke of the export function in AWS; in the local server's own process
 * locally). 200 with the export (`approved`); 403 `same_organiser` for its requester; 409
 * `invalid_state` unless it is `requested`; 404 for an unknown id. Audited as `export_approved`
 * (or `email_export_approved`).
 */
export function createApproveExportHandler(ports: ExportRoutePorts & { launcher: ExportLauncher }) {
  return organiserHandler('approveExport', ports, async (event, who) =>
    json(200, exportView(await approveExport(ports, who, event.pathParameters?.id))),
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createApproveExportHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    jobs: makeExportJobStore(cfg, db),
    launcher: makeExportLauncher(cfg),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
