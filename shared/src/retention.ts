import { addMonths } from './initiative';

/**
 * When the statements of support must be destroyed. The Commission's data protection guidance for
 * organisers (question 16, citizens-initiative.europa.eu/data-protection-guidance-question-16_en)
 * says: at the latest one month after the initiative is submitted to the Commission, and in any
 * case 21 months after the collection period starts; one month after the organisers withdraw the
 * initiative. The earliest of the deadlines that apply is the one to meet.
 */

/** Which rule set the deadline. */
export type DestructionRule =
  | 'collection_start_plus_21_months'
  | 'submission_plus_1_month'
  | 'withdrawal_plus_1_month';

/** The destruction deadline (`YYYY-MM-DD`, a Brussels calendar date) and the rule that set it. */
export interface DestructionDeadline {
  readonly deadline: string;
  readonly rule: DestructionRule;
}

/** The facts the deadline depends on (`YYYY-MM-DD` each). */
export interface RetentionFacts {
  readonly collectionStart: string;
  /** The date the initiative was submitted to the Commission, once it was. */
  readonly submittedOn?: string | undefined;
  /** The date the organisers withdrew the initiative, if they did. */
  readonly withdrawnOn?: string | undefined;
}

/**
 * The earliest deadline that applies: 21 months after the collection start, one month after the
 * submission, one month after a withdrawal. "N months after" a date is the same day number N
 * months later, or that month's last day when it is shorter (31 January + 1 month = 28 or 29
 * February): `addMonths`. On a tie the event (submission, then withdrawal) names the rule, as it
 * is what brought the deadline to that day.
 */
export function destructionDeadline(facts: RetentionFacts): DestructionDeadline {
  const candidates: DestructionDeadline[] = [];
  if (facts.submittedOn) {
    candidates.push({ deadline: addMonths(facts.submittedOn, 1), rule: 'submission_plus_1_month' });
  }
  if (facts.withdrawnOn) {
    candidates.push({ deadline: addMonths(facts.withdrawnOn, 1), rule: 'withdrawal_plus_1_month' });
  }
  candidates.push({
    deadline: addMonths(facts.collectionStart, 21),
    rule: 'collection_start_plus_21_months',
  });
  // Stable: the first of equal deadlines wins, so the order above is the tie-break.
  return candidates.reduce((earliest, c) => (c.deadline < earliest.deadline ? c : earliest));
}

/** The deadline of an initiative item: its collection start and its lifecycle's dates. */
export function destructionDeadlineOf(state: {
  readonly initiative: { readonly collection: { readonly start: string } };
  readonly lifecycle: {
    readonly submittedOn?: string | undefined;
    readonly withdrawnOn?: string | undefined;
  };
}): DestructionDeadline {
  return destructionDeadline({
    collectionStart: state.initiative.collection.start,
    submittedOn: state.lifecycle.submittedOn,
    withdrawnOn: state.lifecycle.withdrawnOn,
  });
}

/**
 * A destruction certificate: when the collection's personal data were destroyed, against which
 * deadline, whether on time (`met`: on or before the deadline day, Brussels), and how much.
 * Appended to the audit trail (`destruction`) and listed by `GET /api/admin/retention`.
 */
export interface DestructionCertificate {
  /** ISO 8601 instant the destruction completed. */
  readonly at: string;
  readonly deadline: string;
  readonly met: boolean;
  /** Statements (live and test). */
  readonly statementsDestroyed: number;
  /** E-mail addresses for updates (live and test). */
  readonly emailsDestroyed: number;
  /** Export files (every stored version of each). */
  readonly exportsDestroyed: number;
}

/* ------------------------------------------------------------------------------------------- *
 * Ports of the destruction job (functions/src/use-cases/run-retention.ts).                     *
 * ------------------------------------------------------------------------------------------- */

/** The item families the destruction job deletes, each counted apart. */
export const PERSONAL_FAMILIES = [
  'statements',
  'testStatements',
  'emails',
  'testEmails',
  'dataKeys',
  'challengeClaims',
  'duplicateAnswers',
] as const;
export type PersonalFamily = (typeof PERSONAL_FAMILIES)[number];

/** A table item's key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A personal item found by the scan: its key and its family. */
export interface PersonalItem extends ItemKey {
  readonly family: PersonalFamily;
}

/** One page of the scan: the personal items in it, and where the next page starts (none: the end). */
export interface PersonalDataPage {
  readonly items: readonly PersonalItem[];
  readonly next?: ItemKey;
}

/** The table's personal items: found by a keys-only scan, deleted by key. */
export interface PersonalDataTable {
  /** One page of the scan from `start` (from the beginning when undefined). */
  scanPage(start: ItemKey | undefined): Promise<PersonalDataPage>;
  /** Deletes these items; an item already gone is no error. */
  deleteItems(items: readonly ItemKey[]): Promise<void>;
}

/** A stored export file (one version of it), or something else to remove with the files. */
export interface ExportObject {
  readonly name: string;
  /** The object version (S3), when the store keeps versions. */
  readonly version?: string;
  /** An unfinished upload (S3 multipart): aborted, not counted. */
  readonly uploadId?: string;
  /** True for a file (counted); false for a delete marker or an unfinished upload. */
  readonly isFile: boolean;
}

/** Where export files are kept: a local directory, or the export bucket. */
export interface ExportFileStore {
  /** Up to `limit` of what is stored, from the start (what was deleted is gone from the list). */
  list(limit: number): Promise<readonly ExportObject[]>;
  /** Deletes these; one already gone is no error. */
  delete(objects: readonly ExportObject[]): Promise<void>;
}

/** Destroys the key that protected the statements and e-mail addresses (crypto-shredding). */
export interface StatementKeyDestroyer {
  /**
   * Destroys it, or confirms it is already being destroyed (idempotent). Returns the day it is
   * gone for good: KMS deletes a key at the end of its pending window; locally it is at once.
   */
  destroy(now: Date): Promise<{ readonly deletionDate: string }>;
}

/** Counts of what a destruction deleted so far, by family, and export files. */
export type DestroyedCounts = Readonly<Record<PersonalFamily | 'exportFiles', number>>;

/** A batch being deleted: recorded before the deletion, so a crash resumes it and counts it once. */
export interface PendingBatch {
  readonly items?: readonly PersonalItem[];
  /** Where the scan goes on after this batch (none: the end of a pass). */
  readonly next?: ItemKey;
  readonly exports?: readonly ExportObject[];
}

/** A destruction under way (a run that found the deadline reached), resumable at every step. */
export interface DestructionRun {
  readonly runId: string;
  readonly deadline: string;
  readonly rule: DestructionRule;
  readonly startedAt: string;
  readonly phase: 'table' | 'exports' | 'certificate' | 'key';
  readonly counts: DestroyedCounts;
  /** The scan's position in the current pass. */
  readonly cursor?: ItemKey;
  /** Whether the current pass deleted anything (a pass that deletes nothing ends the table phase). */
  readonly passDeleted: boolean;
  readonly pending?: PendingBatch;
  /** The certificate being appended, and the trail's last seq before it (to find it on resume). */
  readonly certifying?: { readonly certificate: DestructionCertificate; readonly afterSeq: number };
  /** The trail's last seq before the key's destruction was recorded (to find it on resume). */
  readonly keyAfterSeq?: number;
}

/** The destruction job's record (one item). */
export interface RetentionRecord {
  /** When the job last ran to its end (whatever it found). */
  readonly lastRun?: string;
  /** Who runs it now, until when: one run at a time. */
  readonly lease?: { readonly owner: string; readonly until: string };
  readonly run?: DestructionRun;
  readonly certificates: readonly DestructionCertificate[];
  /** When the statement key was destroyed, and when it is gone for good. */
  readonly keyDestroyed?: { readonly at: string; readonly deletionDate: string };
}

/** The record with the version every write is conditional on (0: never written). */
export interface VersionedRetentionRecord {
  readonly record: RetentionRecord;
  readonly version: number;
}

export interface RetentionStore {
  read(): Promise<VersionedRetentionRecord>;
  /** Writes `record` as the next version if the stored one is still `expectedVersion`; false otherwise. */
  write(record: RetentionRecord, expectedVersion: number): Promise<boolean>;
}
