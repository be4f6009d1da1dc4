import type { InitiativeStore } from '@ocs/shared/ports';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { exportView, requestEmailExport } from '../use-cases/export-jobs';
import {
  makeDynamoClient,
  makeInitiativeStore,
  makeOrganiserAuditPorts,
  onFirstInvocation,
  systemClock,
} from '../wiring';
import { makeExportJobStore } from '../wiring-exports';
import type { ExportRoutePorts } from './request-export';

/**
 * POST /api/admin/email-exports: an organiser requests an export of the e-mail addresses given with
 * consent for updates (no body needed). 202 with the `requested` export, approved like any other;
 * 409 `retention_over` after the e-mails' retention. Audited as `email_export_requested`.
 */
export function createRequestEmailExportHandler(ports: ExportRoutePorts & { initiatives: InitiativeStore }) {
  return organiserHandler('requestEmailExport', ports, async (_event, who) =>
    json(202, exportView(await requestEmailExport(ports, who))),
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createRequestEmailExportHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    jobs: makeExportJobStore(cfg, db),
    initiatives: makeInitiativeStore(cfg, db, systemClock),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
