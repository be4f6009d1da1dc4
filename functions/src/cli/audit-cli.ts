import { readFile, writeFile } from 'node:fs/promises';
import { type AuditEntry, GENESIS_HASH, verifyChain } from '@ocs/shared/audit';
import type { AuditTrail } from '@ocs/shared/ports';

/**
 * `npm run audit -- verify <file>` and `npm run audit -- export [--out <file>]`.
 *
 * verify reads an exported trail in any of three forms: the answer of `GET /api/admin/audit`
 * (`{ "entries": [...], ... }`), a JSON array of entries, or JSON lines (one entry per line).
 * It prints `chain valid: N entries, head <hash>` and exits 0, or `chain BROKEN at seq N: <reason>`
 * and exits 1; a file it cannot read or parse exits 2 with the reason.
 */
export const USAGE = [
  'Usage:',
  '  npm run audit -- verify <file> [--prev-hash <hash>] [--anchor <hash>]',
  '  npm run audit -- export [--out <file>] [--endpoint <url>] [--table <name>]',
].join('\n');

/** Exit codes: 0 valid / done, 1 chain broken (or anchor absent), 2 bad input or usage. */
export const EXIT = { ok: 0, broken: 1, badInput: 2 } as const;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Input the CLI cannot use; its message is printed as is. */
export class AuditFileError extends Error {
  override readonly name = 'AuditFileError';
}

/**
 * The entries of an exported trail, from its text: an API answer, a JSON array or JSON lines.
 * Entries are returned as parsed (unknown): verification decides whether they are entries.
 */
export function parseAuditExport(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new AuditFileError('the file is empty');
  let whole: unknown;
  let wholeParsed = false;
  try {
    whole = JSON.parse(trimmed);
    wholeParsed = true;
  } catch {
    // Not one JSON document: JSON lines, then.
  }
  if (wholeParsed) {
    if (Array.isArray(whole)) return whole;
    if (whole !== null && typeof whole === 'object') {
      const entries = (whole as { entries?: unknown }).entries;
      if (Array.isArray(entries)) return entries;
      if ('seq' in whole) return [whole];
    }
    throw new AuditFileError('expected { "entries": [...] }, a JSON array of entries, or JSON lines');
  }
  return trimmed.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw new AuditFileError(
        `line ${i + 1} is not JSON (expected { "entries": [...] }, a JSON array, or JSON lines)`,
      );
    }
  });
}

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Opens the local trail for `export` (DynamoDB Local); `close` ends what it started. */
  readonly openTrail?: (options: {
    endpoint?: string;
    table?: string;
  }) => Promise<{ trail: AuditTrail; close: () => Promise<void> }>;
}

/** `--name value` options after the positional arguments. */
function options(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i] ?? '';
    const value = args[i + 1];
    if (!allowed.includes(name) || value === undefined || value.startsWith('--')) {
      throw new AuditFileError(`unexpected argument '${name}'\n${USAGE}`);
    }
    found.set(name, value);
  }
  return found;
}

function hashOption(found: Map<string, string>, name: string): string | undefined {
  const value = found.get(name);
  if (value !== undefined && !HEX_SHA256.test(value)) {
    throw new AuditFileError(`${name} must be 64 lower-case hex digits`);
  }
  return value;
}

async function verify(file: string, rest: readonly string[], io: CliIo): Promise<number> {
  const found = options(rest, ['--prev-hash', '--anchor']);
  const prevHash = hashOption(found, '--prev-hash');
  const anchor = hashOption(found, '--anchor');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AuditFileError(`cannot read ${file} (${code})`);
  }
  const entries = parseAuditExport(text);
  const result = await verifyChain(entries, prevHash ? { expectedFirstPrevHash: prevHash } : {});
  if (!result.valid) {
    io.out(`chain BROKEN at seq ${result.brokenAt}: ${result.reason}`);
    return EXIT.broken;
  }
  io.out(`chain valid: ${result.count} entries, head ${result.head}`);
  if (anchor) {
    const at = (entries as AuditEntry[]).find((e) => e.hash === anchor);
    if (!at && anchor !== (prevHash ?? GENESIS_HASH)) {
      io.out(`anchor ${anchor} NOT FOUND in the chain`);
      return EXIT.broken;
    }
    io.out(`anchor ${anchor} found${at ? ` at seq ${at.seq}` : ' (the start of the chain)'}`);
  }
  return EXIT.ok;
}

async function exportTrail(rest: readonly string[], io: CliIo): Promise<number> {
  const found = options(rest, ['--out', '--endpoint', '--table']);
  if (!io.openTrail) throw new AuditFileError('export is not available here');
  const { trail, close } = await io.openTrail({
    endpoint: found.get('--endpoint'),
    table: found.get('--table'),
  });
  let entries: readonly AuditEntry[];
  try {
    entries = await trail.list();
  } finally {
    await close();
  }
  const result = await verifyChain(entries);
  const text = `${JSON.stringify({ entries, chainValid: result.valid }, null, 2)}\n`;
  const out = found.get('--out');
  if (out) await writeFile(out, text, { mode: 0o600 });
  else io.out(text.trimEnd());
  io.err(
    result.valid
      ? `exported ${result.count} entries, head ${result.head}, chain valid${out ? ` -> ${out}` : ''}`
      : `exported ${entries.length} entries; chain BROKEN at seq ${result.brokenAt}: ${result.reason}`,
  );
  return result.valid ? EXIT.ok : EXIT.broken;
}

/** Runs one command; returns the exit code. Results go to `out`, diagnostics to `err`. */
export async function runAuditCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'verify' && rest[0] !== undefined && !rest[0].startsWith('--')) {
      return await verify(rest[0], rest.slice(1), io);
    }
    if (command === 'export') return await exportTrail(rest, io);
  } catch (error) {
    if (error instanceof AuditFileError) {
      io.err(`audit: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
  io.err(USAGE);
  return EXIT.badInput;
}
