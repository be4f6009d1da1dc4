import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { type ExportJobsDeps, exportView, requestExport } from '../use-cases/export-jobs';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';
import { makeExportJobStore } from '../wiring-exports';

export type ExportRoutePorts = OrganiserAuditPorts & Pick<ExportJobsDeps, 'jobs' | 'newJobId'>;

/**
 * POST /api/admin/exports: an organiser requests an export of the statements, `{ countries }`
 * (`"all"` or Member State codes). 202 with the `requested` export; another organiser must
 * approve it before it runs. Audited as `export_requested`.
 */
export function createRequestExportHandler(ports: ExportRoutePorts) {
  return organiserHandler(
    'requestExport',
    ports,
    async (event, who) => json(202, exportView(await requestExport(ports, who, event.jsonBody))),
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createRequestExportHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    jobs: makeExportJobStore(cfg, db),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
