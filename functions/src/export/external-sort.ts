import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareEntries } from './sort-entry';

/**
 * A bounded-memory external sort of entries (see `sort-entry.ts`). Entries are collected up to
 * `maxRunEntries`; a full run is sorted and spilled to a file of `dir` (length-prefixed entries);
 * `finish()` returns the runs, the last one kept in memory; `merge()` k-way merges them with a
 * binary heap, reading each spilled run through a small buffer. Memory is about one run plus
 * `runs × readBytes`, whatever the number of entries.
 */

const LENGTH_BYTES = 4;

/** A sorted sequence of entries, read once. */
export interface Run {
  /** The current entry, undefined once the run is exhausted (after `start()`). */
  readonly head: Buffer | undefined;
  start(): Promise<void>;
  advance(): Promise<void>;
  close(): Promise<void>;
}

class MemoryRun implements Run {
  private index = 0;
  head: Buffer | undefined;

  constructor(private readonly entries: Buffer[]) {}

  async start(): Promise<void> {
    this.head = this.entries[0];
  }

  async advance(): Promise<void> {
    this.index += 1;
    this.head = this.entries[this.index];
  }

  async close(): Promise<void> {
    this.entries.length = 0;
  }
}

class FileRun implements Run {
  head: Buffer | undefined;
  private handle: FileHandle | undefined;
  private chunk = Buffer.alloc(0);
  private offset = 0;
  private eof = false;

  constructor(
    private readonly path: string,
    private readonly readBytes: number,
  ) {}

  async start(): Promise<void> {
    this.handle = await open(this.path, 'r');
    await this.advance();
  }

  async advance(): Promise<void> {
    if (!(await this.ensure(LENGTH_BYTES))) {
      this.head = undefined;
      return;
    }
    const length = this.chunk.readUInt32BE(this.offset);
    if (!(await this.ensure(LENGTH_BYTES + length))) throw new Error('A sort run file is truncated.');
    this.head = this.chunk.subarray(this.offset + LENGTH_BYTES, this.offset + LENGTH_BYTES + length);
    this.offset += LENGTH_BYTES + length;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Makes `bytes` bytes available from `offset`; false at a clean end of file. */
  private async ensure(bytes: number): Promise<boolean> {
    while (this.chunk.length - this.offset < bytes) {
      if (this.eof || !this.handle) {
        if (this.chunk.length === this.offset) return false;
        throw new Error('A sort run file is truncated.');
      }
      // A fresh buffer per read: entries handed out earlier keep viewing the old one.
      const rest = this.chunk.subarray(this.offset);
      const next = Buffer.allocUnsafe(Math.max(this.readBytes, bytes) + rest.length);
      rest.copy(next, 0);
      const { bytesRead } = await this.handle.read(next, rest.length, next.length - rest.length, null);
      if (bytesRead === 0) this.eof = true;
      this.chunk = next.subarray(0, rest.length + bytesRead);
      this.offset = 0;
    }
    return true;
  }
}

export interface ExternalSorterOptions {
  /** Directory for spilled runs (private to the job; the caller removes it). */
  readonly dir: string;
  readonly maxRunEntries: number;
  /** Read buffer per spilled run during the merge. */
  readonly readBytes?: number;
}

export class ExternalSorter {
  private buffer: Buffer[] = [];
  private readonly spilled: string[] = [];
  private spilling: Promise<void> = Promise.resolve();
  private count = 0;

  constructor(private readonly options: ExternalSorterOptions) {}

  /** Number of runs spilled to disk so far. */
  get spilledRuns(): number {
    return this.spilled.length;
  }

  /** Adds an entry; resolves once memory is available again (one spill at a time). */
  async add(entry: Buffer): Promise<void> {
    this.buffer.push(entry);
    if (this.buffer.length < this.options.maxRunEntries) return;
    const full = this.buffer;
    this.buffer = [];
    const previous = this.spilling;
    this.spilling = previous.then(() => this.spill(full));
    await this.spilling;
  }

  /** The sorted runs: every spilled one and the rest in memory. */
  async finish(): Promise<Run[]> {
    await this.spilling;
    const last = this.buffer.sort(compareEntries);
    this.buffer = [];
    const readBytes = this.options.readBytes ?? 256 * 1024;
    return [...this.spilled.map((path) => new FileRun(path, readBytes)), new MemoryRun(last)];
  }

  private async spill(entries: Buffer[]): Promise<void> {
    entries.sort(compareEntries);
    const out = Buffer.allocUnsafe(entries.reduce((n, e) => n + LENGTH_BYTES + e.length, 0));
    let at = 0;
    for (const entry of entries) {
      at = out.writeUInt32BE(entry.length, at);
      at += entry.copy(out, at);
    }
    const path = join(this.options.dir, `run-${String(this.count++).padStart(6, '0')}.bin`);
    await writeFile(path, out, { mode: 0o600 });
    this.spilled.push(path);
  }
}

/** K-way merge of sorted runs: yields every entry in order, then closes the runs. */
export async function* mergeRuns(runs: readonly Run[]): AsyncGenerator<Buffer> {
  const heap: Run[] = [];
  try {
    for (const run of runs) {
      await run.start();
      if (run.head) heapPush(heap, run);
    }
    while (heap.length > 0) {
      const top = heap[0] as Run;
      yield top.head as Buffer;
      await top.advance();
      if (top.head) siftDown(heap, 0);
      else {
        const last = heap.pop() as Run;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, 0);
        }
      }
    }
  } finally {
    await Promise.all(runs.map((run) => run.close()));
  }
}

const less = (a: Run, b: Run) => compareEntries(a.head as Buffer, b.head as Buffer) < 0;

function heapPush(heap: Run[], run: Run): void {
  heap.push(run);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(heap[i] as Run, heap[parent] as Run)) break;
    [heap[i], heap[parent]] = [heap[parent] as Run, heap[i] as Run];
    i = parent;
  }
}

function siftDown(heap: Run[], from: number): void {
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && less(heap[left] as Run, heap[smallest] as Run)) smallest = left;
    if (right < heap.length && less(heap[right] as Run, heap[smallest] as Run)) smallest = right;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest] as Run, heap[i] as Run];
    i = smallest;
  }
}
