import type { DownloadLinkBody } from '@ocs/shared/contract/exports-api';
import type { DownloadLinks } from '@ocs/shared/export-job';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { createDownloadLink } from '../use-cases/export-jobs';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';
import { makeDownloadLinks, makeExportJobStore } from '../wiring-exports';
import type { ExportRoutePorts } from './request-export';

/**
 * POST /api/admin/exports/{id}/downloads, `{ file: "DE" | "manifest" | "emails" }`: a short-lived
 * link to one file of a done export (presigned S3 URL in AWS, a single-use local link locally).
 * 409 `invalid_state` unless done; 422 for a file the export does not have. Audited as
 * `export_downloaded` (or `email_export_downloaded`) before the link is issued.
 */
export function createCreateExportDownloadHandler(ports: ExportRoutePorts & { links: DownloadLinks }) {
  return organiserHandler(
    'createExportDownload',
    ports,
    async (event, who) => {
      const link: DownloadLinkBody = await createDownloadLink(
        ports,
        who,
        event.pathParameters?.id,
        event.jsonBody,
      );
      return json(200, link);
    },
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createCreateExportDownloadHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    jobs: makeExportJobStore(cfg, db),
    links: makeDownloadLinks(cfg),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
