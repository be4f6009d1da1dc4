import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareEntries, SORT_KEY_BYTES } from './sort-entry';

/**
 * A bounded-memory external sort of entries (see `sort-entry.ts`). Entries are collected up to
 * `maxRunEntries` or `maxRunBytes`; a full run is sorted and spilled to a file of `dir`
 * (length-prefixed entries); `finish()` returns the runs, the last one kept in memory;
 * `mergeRuns()` k-way merges them with a binary heap, reading each spilled run through a small
 * buffer. Memory is about two runs plus `runs × readBytes`, whatever the number of entries.
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

/** The last run: sorted offsets into the sorter's arena (each a length-prefixed entry). */
class MemoryRun implements Run {
  private index = 0;
  head: Buffer | undefined;

  constructor(
    private readonly arena: Buffer,
    private readonly offsets: readonly number[],
  ) {}

  async start(): Promise<void> {
    this.head = this.at(0);
  }

  async advance(): Promise<void> {
    this.index += 1;
    this.head = this.at(this.index);
  }

  async close(): Promise<void> {}

  private at(index: number): Buffer | undefined {
    const offset = this.offsets[index];
    if (offset === undefined) return undefined;
    const length = this.arena.readUInt32BE(offset);
    return this.arena.subarray(offset + LENGTH_BYTES, offset + LENGTH_BYTES + length);
  }
}

/** A spilled run, read through one reused buffer: a head stays valid until the next `advance()`. */
class FileRun implements Run {
  head: Buffer | undefined;
  private handle: FileHandle | undefined;
  private buffer: Buffer;
  private from = 0;
  private end = 0;
  private eof = false;

  constructor(
    private readonly path: string,
    readBytes: number,
  ) {
    this.buffer = Buffer.allocUnsafe(readBytes);
  }

  async start(): Promise<void> {
    this.handle = await open(this.path, 'r');
    await this.advance();
  }

  async advance(): Promise<void> {
    if (!(await this.ensure(LENGTH_BYTES))) {
      this.head = undefined;
      return;
    }
    const length = this.buffer.readUInt32BE(this.from);
    if (!(await this.ensure(LENGTH_BYTES + length))) throw new Error('A sort run file is truncated.');
    this.head = this.buffer.subarray(this.from + LENGTH_BYTES, this.from + LENGTH_BYTES + length);
    this.from += LENGTH_BYTES + length;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Makes `bytes` bytes available from `from`; false at a clean end of file. */
  private async ensure(bytes: number): Promise<boolean> {
    while (this.end - this.from < bytes) {
      if (this.eof || !this.handle) {
        if (this.end === this.from) return false;
        throw new Error('A sort run file is truncated.');
      }
      const rest = this.end - this.from;
      if (bytes > this.buffer.length) {
        const grown = Buffer.allocUnsafe(bytes);
        this.buffer.copy(grown, 0, this.from, this.end);
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.from, this.end);
      }
      this.from = 0;
      this.end = rest;
      const { bytesRead } = await this.handle.read(this.buffer, rest, this.buffer.length - rest, null);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
    }
    return true;
  }
}

export interface ExternalSorterOptions {
  /** Directory for spilled runs (private to the job; the caller removes it). */
  readonly dir: string;
  /** Entries per run at most. */
  readonly maxRunEntries: number;
  /** Bytes per run at most (entries and their 4-byte length prefixes). */
  readonly maxRunBytes?: number;
  /** Read buffer per spilled run during the merge. */
  readonly readBytes?: number;
}

const INITIAL_ARENA_BYTES = 64 * 1024;

/**
 * Entries are copied into one arena buffer (length-prefixed), not kept as one object each: the
 * JavaScript heap holds only an array of offsets, so a run of 50,000 entries costs the garbage
 * collector nothing and memory is the arena itself (grown by doubling up to `maxRunBytes`, then
 * reused). A full run is sorted by offset, copied in order into a second buffer (also reused)
 * and written to disk while producers go on filling the arena.
 */
export class ExternalSorter {
  private arena = Buffer.allocUnsafe(INITIAL_ARENA_BYTES);
  private out = Buffer.alloc(0);
  private used = 0;
  private offsets: number[] = [];
  private readonly spilled: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly maxRunBytes: number;

  constructor(private readonly options: ExternalSorterOptions) {
    this.maxRunBytes = options.maxRunBytes ?? 8 * 1024 * 1024;
  }

  /** Number of runs spilled to disk so far. */
  get spilledRuns(): number {
    return this.spilled.length;
  }

  /** Adds (copies) an entry; resolves once there is room for it. */
  async add(entry: Buffer): Promise<void> {
    const need = LENGTH_BYTES + entry.length;
    if (need > this.maxRunBytes) throw new RangeError('A sort entry is larger than a run.');
    while (this.offsets.length >= this.options.maxRunEntries || !this.room(need)) await this.spill();
    this.arena.writeUInt32BE(entry.length, this.used);
    entry.copy(this.arena, this.used + LENGTH_BYTES);
    this.offsets.push(this.used);
    this.used += need;
  }

  /** The sorted runs: every spilled one and the rest in memory. */
  async finish(): Promise<Run[]> {
    await this.writing;
    if (this.failure) throw this.failure;
    const offsets = this.sortedOffsets();
    // The spill buffer is not needed any more: the merge must not carry it.
    this.out = Buffer.alloc(0);
    const readBytes = this.options.readBytes ?? 128 * 1024;
    return [...this.spilled.map((path) => new FileRun(path, readBytes)), new MemoryRun(this.arena, offsets)];
  }

  /** Grows the arena (up to `maxRunBytes`) when `need` more bytes do not fit; false when full. */
  private room(need: number): boolean {
    if (this.used + need <= this.arena.length) return true;
    if (this.arena.length >= this.maxRunBytes) return false;
    const size = Math.min(this.maxRunBytes, Math.max(this.arena.length * 2, this.used + need));
    if (this.used + need > size) return false;
    const grown = Buffer.allocUnsafe(size);
    this.arena.copy(grown, 0, 0, this.used);
    this.arena = grown;
    return true;
  }

  private sortedOffsets(): number[] {
    const arena = this.arena;
    const start = LENGTH_BYTES;
    const end = LENGTH_BYTES + SORT_KEY_BYTES;
    return this.offsets.sort((a, b) => arena.compare(arena, b + start, b + end, a + start, a + end));
  }

  /** Sorts the current run into `out` and starts writing it; the arena is free again at once. */
  private async spill(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
    if (this.offsets.length === 0) return;
    const offsets = this.sortedOffsets();
    if (this.out.length < this.used) this.out = Buffer.allocUnsafe(this.arena.length);
    let at = 0;
    for (const offset of offsets) {
      const size = LENGTH_BYTES + this.arena.readUInt32BE(offset);
      at += this.arena.copy(this.out, at, offset, offset + size);
    }
    this.offsets = [];
    this.used = 0;
    const path = join(this.options.dir, `run-${String(this.spilled.length).padStart(6, '0')}.bin`);
    this.spilled.push(path);
    this.writing = writeFile(path, this.out.subarray(0, at), { mode: 0o600 }).catch((error: unknown) => {
      this.failure = error;
    });
  }
}

/**
 * K-way merge of sorted runs: yields every entry in order, then closes the runs. An entry is a
 * view that stays valid only until the consumer asks for the next one.
 */
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
