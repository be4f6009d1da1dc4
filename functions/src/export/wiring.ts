import type { ExportKind } from '@ocs/shared/export-job';
import { DynamoDataKeyStore } from '../adapters/dynamo-data-key-store.adapter';
import { DynamoEmailSource } from '../adapters/dynamo-email-source.adapter';
import { DynamoStatementSource } from '../adapters/dynamo-statement-source.adapter';
import type { Config } from '../config/config';
import { ENCRYPTION_CONTEXT } from '../config/env-names';
import { logger } from '../http/logger';
import {
  encryptionContext,
  makeDynamoClient,
  makeInitiativeStore,
  makeOrganiserAuditPorts,
  systemClock,
  tableName,
} from '../wiring';
import { localExportsDir, makeExportJobStore, makeExportSink } from '../wiring-exports';
import { makeKeyProvider } from '../wiring-keys';
import { type ExportEngine, ExportJobRunner } from './export-job-runner';
import { RunEmailExport } from './run-email-export';
import { type ExportSettings, RunExport } from './run-export';

export { localExportsDir, makeExportSink };

/**
 * The export use case wired for this world: the table's statements and data-key records, the key
 * provider (KMS in AWS: this function's role is the only one the key policy lets Decrypt
 * statement data keys, under the statements' encryption context), and the sink.
 */
export function makeRunExport(config: Config, settings: Partial<ExportSettings> = {}): RunExport {
  const db = makeDynamoClient(config);
  const table = tableName(config);
  return new RunExport({
    initiativeId: config.initiativeId,
    initiatives: makeInitiativeStore(config, db, systemClock),
    source: new DynamoStatementSource(db, table),
    keyProvider: makeKeyProvider(config),
    dataKeyStore: new DynamoDataKeyStore(db, table),
    context: encryptionContext(config, ENCRYPTION_CONTEXT.statementPurpose),
    sink: makeExportSink(config),
    clock: systemClock,
    settings: { greece: config.exportGreeceCode ?? 'gr', ...settings },
  });
}

/**
 * The e-mail export wired for this world: the table's e-mail items and data-key records, the key
 * provider (KMS in AWS: the export-emails role may Decrypt only under the e-mails' context), the sink.
 */
export function makeRunEmailExport(config: Config): RunEmailExport {
  const db = makeDynamoClient(config);
  const table = tableName(config);
  return new RunEmailExport({
    initiativeId: config.initiativeId,
    source: new DynamoEmailSource(db, table),
    keyProvider: makeKeyProvider(config),
    dataKeyStore: new DynamoDataKeyStore(db, table),
    context: encryptionContext(config, ENCRYPTION_CONTEXT.emailPurpose),
    sink: makeExportSink(config),
    clock: systemClock,
  });
}

/** The engine of a kind: the statements' XML export, or the e-mail addresses' CSV. */
export function makeExportEngine(config: Config, kind: ExportKind): ExportEngine {
  if (kind === 'emails') {
    const run = makeRunEmailExport(config);
    return {
      kind,
      run: async (job, onProgress) => {
        const { read: _read, ...emails } = await run.execute({ exportId: job.id }, onProgress);
        return { emails };
      },
    };
  }
  const run = makeRunExport(config);
  return {
    kind,
    run: async (job, onProgress) => {
      if (job.countries === null) throw new TypeError('A statements export names its countries.');
      const result = await run.execute({ exportId: job.id, countries: job.countries }, onProgress);
      return {
        files: result.files,
        manifestSha256: result.manifestSha256,
        statements: result.files.reduce((sum, f) => sum + f.statements, 0),
      };
    },
  };
}

/** The runner of export jobs of one kind, as the export function (or the local server) runs them. */
export function makeExportJobRunner(config: Config, kind: ExportKind): ExportJobRunner {
  const db = makeDynamoClient(config);
  const { trail } = makeOrganiserAuditPorts(config, db);
  return new ExportJobRunner({
    jobs: makeExportJobStore(config, db),
    trail,
    clock: systemClock,
    engine: makeExportEngine(config, kind),
    sink: makeExportSink(config),
    log: (message, details) => logger.info(message, details),
  });
}
