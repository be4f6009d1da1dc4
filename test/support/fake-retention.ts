import type {
  ExportFileStore,
  ExportObject,
  ItemKey,
  PersonalDataPage,
  PersonalDataTable,
  PersonalFamily,
  RetentionRecord,
  RetentionStore,
  StatementKeyDestroyer,
  VersionedRetentionRecord,
} from '@ocs/shared/retention';

/**
 * In-memory fakes of the destruction job's ports, with their contracts: the record's writes are
 * conditional on its version (and go through JSON, as the adapter stores it); the table is a
 * sorted map scanned in pages; deletes of absent items are no error. `failNext*` make the next
 * call fail once, as a crash midway would.
 */

export class FakeRetentionStore implements RetentionStore {
  private stored = JSON.stringify({ certificates: [] } satisfies RetentionRecord);
  version = 0;
  writes = 0;
  /** Fails the n-th write from now (1: the next one), once. */
  failWriteIn: number | undefined;

  get record(): RetentionRecord {
    return JSON.parse(this.stored) as RetentionRecord;
  }

  async read(): Promise<VersionedRetentionRecord> {
    return { record: this.record, version: this.version };
  }

  async write(record: RetentionRecord, expectedVersion: number): Promise<boolean> {
    if (this.failWriteIn !== undefined && --this.failWriteIn === 0) {
      this.failWriteIn = undefined;
      throw new Error('the process died (simulated)');
    }
    if (expectedVersion !== this.version) return false;
    this.stored = JSON.stringify(record);
    this.version += 1;
    this.writes += 1;
    return true;
  }
}

/** Which family a partition key belongs to, by its prefix (table-keys.ts), or none. */
export function familyOfKey(pk: string): PersonalFamily | undefined {
  const families: [string, PersonalFamily][] = [
    ['ET#', 'testEmails'],
    ['E#', 'emails'],
    ['S#', 'statements'],
    ['T#', 'testStatements'],
    ['K#', 'dataKeys'],
    ['A#', 'challengeClaims'],
    ['D#', 'duplicateAnswers'],
  ];
  return families.find(([prefix]) => pk.startsWith(prefix))?.[1];
}

/**
 * A table of keys (personal and not), scanned in pages of `pageSize` items evaluated (like a
 * Scan's Limit, before its filter): a page may hold no personal item and still have a next one.
 */
export class FakePersonalDataTable implements PersonalDataTable {
  readonly items = new Map<string, ItemKey>();
  scans = 0;
  deletes = 0;
  failDeleteIn: number | undefined;

  constructor(private readonly pageSize = 3) {}

  add(...pks: string[]): this {
    for (const pk of pks) this.items.set(`${pk}\u0000x`, { pk, sk: 'x' });
    return this;
  }

  /** The partition keys in the table, in order. */
  keys(): string[] {
    return [...this.sorted()].map((k) => k.pk);
  }

  private sorted(): ItemKey[] {
    return [...this.items.values()].sort((a, b) => (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0));
  }

  async scanPage(start: ItemKey | undefined): Promise<PersonalDataPage> {
    this.scans += 1;
    const all = this.sorted();
    const from = start ? all.findIndex((k) => k.pk > start.pk) : 0;
    const evaluated = from < 0 ? [] : all.slice(from, from + this.pageSize);
    const last = evaluated.at(-1);
    const more = from >= 0 && from + this.pageSize < all.length;
    return {
      items: evaluated.flatMap((k) => {
        const family = familyOfKey(k.pk);
        return family ? [{ ...k, family }] : [];
      }),
      ...(more && last ? { next: { pk: last.pk, sk: last.sk } } : {}),
    };
  }

  async deleteItems(items: readonly ItemKey[]): Promise<void> {
    if (this.failDeleteIn !== undefined && --this.failDeleteIn === 0) {
      this.failDeleteIn = undefined;
      // Half of the batch is gone when the process dies.
      for (const item of items.slice(0, Math.ceil(items.length / 2))) this.items.delete(`${item.pk}\u0000x`);
      throw new Error('the process died mid-batch (simulated)');
    }
    this.deletes += 1;
    for (const item of items) this.items.delete(`${item.pk}\u0000x`);
  }
}

/** Export files (with versions and leftovers) in a list; `list` reads from the start. */
export class FakeExportFileStore implements ExportFileStore {
  objects: ExportObject[] = [];
  failDeleteIn: number | undefined;

  addFiles(...names: string[]): this {
    for (const name of names) this.objects.push({ name, isFile: true });
    return this;
  }

  async list(limit: number): Promise<readonly ExportObject[]> {
    return this.objects.slice(0, limit);
  }

  async delete(objects: readonly ExportObject[]): Promise<void> {
    if (this.failDeleteIn !== undefined && --this.failDeleteIn === 0) {
      this.failDeleteIn = undefined;
      throw new Error('the process died (simulated)');
    }
    const gone = new Set(objects.map((o) => `${o.name}@${o.version ?? ''}@${o.uploadId ?? ''}`));
    this.objects = this.objects.filter((o) => !gone.has(`${o.name}@${o.version ?? ''}@${o.uploadId ?? ''}`));
  }
}

/** The statement key: destroyed once; `calls` counts the requests, `events` the order of things. */
export class FakeKeyDestroyer implements StatementKeyDestroyer {
  calls = 0;
  destroyedAt: Date | undefined;
  failNext: unknown;

  constructor(private readonly pendingDays = 7) {}

  async destroy(now: Date): Promise<{ readonly deletionDate: string }> {
    this.calls += 1;
    if (this.failNext !== undefined) {
      const failure = this.failNext;
      this.failNext = undefined;
      throw failure;
    }
    this.destroyedAt ??= now;
    const gone = new Date(this.destroyedAt.getTime() + this.pendingDays * 86_400_000);
    return { deletionDate: gone.toISOString() };
  }
}
