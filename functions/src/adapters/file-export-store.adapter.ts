import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ExportFileStore, ExportObject } from '@ocs/shared/retention';

/** Every file under `dir`, as paths relative to `root`, in a stable order. */
function filesUnder(root: string, dir: string, out: string[], limit: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (out.length >= limit) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(root, path, out, limit);
    else out.push(relative(root, path));
  }
}

/** Removes the empty directories under `dir` (not `dir` itself). */
function pruneEmpty(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    pruneEmpty(path);
    if (readdirSync(path).length === 0) rmdirSync(path);
  }
}

/**
 * FOR LOCAL MODE. The export files under the local exports directory (`<exportId>/<file>`), as
 * the destruction job sees them: listed from the start, deleted one by one, their empty
 * directories removed. Nothing outside the directory is ever touched.
 */
export class FileExportStore implements ExportFileStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async list(limit: number): Promise<readonly ExportObject[]> {
    if (!existsSync(this.root)) return [];
    const names: string[] = [];
    filesUnder(this.root, this.root, names, limit);
    return names.map((name) => ({ name, isFile: true }));
  }

  async delete(objects: readonly ExportObject[]): Promise<void> {
    for (const object of objects) {
      const path = resolve(this.root, object.name);
      if (!path.startsWith(`${this.root}${sep}`)) throw new RangeError('Not an export file.');
      rmSync(path, { force: true });
    }
    if (existsSync(this.root)) pruneEmpty(this.root);
  }
}
