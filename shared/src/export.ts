import type { SealedData } from './ports';
import type { MemberStateCode } from './statement';

/**
 * The export of statements to the national authorities: its ports, its result and its errors.
 * One XML file per Member State of nationality (`<CC>.xml`) plus `manifest.json`. The engine lives
 * in `functions/src/export/`; adapters (DynamoDB source, file and S3 sinks) in `functions/src/adapters/`.
 */

/** `live` statements are exported; `test` ones (signed before go-live) never are. */
export type StatementMode = 'live' | 'test';

/** A stored statement as the export reads it: identity, metadata and the still-sealed personal data. */
export interface SealedStatement {
  /** The receipt (UUID, lower case). */
  readonly statementId: string;
  /** Member State of nationality. */
  readonly country: MemberStateCode;
  /** ISO 8601 instant, as `Date.prototype.toISOString` writes it. */
  readonly submittedAt: string;
  readonly annexRevision: number;
  readonly mode: StatementMode;
  readonly personalData: SealedData;
}

/**
 * Where statements come from: a table scan in AWS and locally, a generator in the benchmark.
 * A source is read in `totalSegments` disjoint segments (DynamoDB parallel scan); together they
 * yield every stored statement exactly once, in pages, in no particular order.
 */
export interface StatementSource {
  scan(segment: number, totalSegments: number): AsyncIterable<readonly SealedStatement[]>;
}

/** A stored e-mail address as the e-mail export reads it: still sealed, with what decides whether it is exported. */
export interface SealedEmail {
  /** The statement it was given with (the AAD binds the ciphertext to it). */
  readonly statementId: string;
  /** `test` e-mails (given in test mode) are never exported. */
  readonly mode: StatementMode;
  /** End of its retention, epoch seconds: an e-mail past it is not exported. */
  readonly expiresAtEpochSeconds: number;
  readonly sealed: SealedData;
}

/** Where e-mail items come from: a parallel table scan, like `StatementSource`. */
export interface EmailSource {
  scan(segment: number, totalSegments: number): AsyncIterable<readonly SealedEmail[]>;
}

/** One file being written; chunks arrive in order, with backpressure (await each write). */
export interface ExportFileWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Completes the file: after this it is readable under its name. */
  close(): Promise<void>;
  /** Gives the file up: nothing of it stays readable. */
  abort(): Promise<void>;
}

/** Where export files go: a directory of `OCS_DATA_DIR` locally, an S3 bucket in AWS. */
export interface ExportSink {
  /** Starts writing `name` (e.g. `DE.xml`, `manifest.json`) of export `exportId`. */
  create(exportId: string, name: string, contentType: string): Promise<ExportFileWriter>;
  /** Deletes every file of `exportId` (a failed export leaves no personal data behind). */
  discard(exportId: string): Promise<void>;
}

/** Which countries an export covers. */
export type ExportCountries = 'all' | readonly MemberStateCode[];

/** One country file, as the manifest and the admin API describe it. */
export interface ExportFileSummary {
  readonly country: MemberStateCode;
  readonly statements: number;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file's exact bytes. */
  readonly sha256: string;
}

/** `manifest.json`: the same for two exports of the same data apart from `exportId` and `createdAt`. */
export interface ExportManifest {
  readonly exportId: string;
  /** The initiative's registration number in the Commission register, e.g. `ECI(2026)000001`. */
  readonly initiative: string;
  readonly createdAt: string;
  readonly files: readonly ExportFileSummary[];
}

/** Progress of a running export, for the organisers' console (no personal data). */
export interface ExportProgress {
  readonly phase: 'reading' | 'writing' | 'done';
  /** Live statements of the requested countries read from the source so far. */
  readonly read: number;
  /** Statements written to country files so far. */
  readonly written: number;
}

/** Why an export failed; stable codes, never personal data. */
export type ExportFailure =
  /** A statement or its data key could not be decrypted (wrong key or context, tampered bytes). */
  | 'decryption_failed'
  /** A stored statement lacks a field or has one in an unexpected form. */
  | 'malformed_statement'
  /** Two stored statements carry the same identifier. */
  | 'duplicate_statement'
  /** A value cannot be written as XML 1.0 (a control character the rulebook should have refused). */
  | 'unwritable_value';

/** The export stopped; its files were discarded. The message names the failure, never a person. */
export class ExportFailedError extends Error {
  override readonly name = 'ExportFailedError';
  constructor(
    readonly reason: ExportFailure,
    options?: { cause?: unknown },
  ) {
    super(`The export failed (${reason}); its files were discarded.`, options);
  }
}
