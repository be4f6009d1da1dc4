import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of a process tree, from /proc (Linux only; elsewhere nothing is reported). Used to
 * show where the CPU of the local HTTP benchmark goes: the Node server, DynamoDB Local (Java).
 */

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(out.stdout?.trim()) || 100;
  }
  return ticksPerSecond;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime, ms. */
  readonly cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text
      .slice(close + 2)
      .trim()
      .split(' ');
    // After "pid (comm) ": state=0, ppid=1, ..., utime=11, stime=12 (fields 14 and 15 of stat).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid: Number(fields[1]), comm, cpuMs: (ticks * 1000) / clockTicks() };
  } catch {
    return undefined;
  }
}

/** The CPU time (ms) of `root` and all its descendants, by process name (`node`, `java`, ...). */
export function processTreeCpu(root: number): Map<string, number> {
  const byName = new Map<string, number>();
  if (process.platform !== 'linux') return byName;
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const rootStat = stats.find((s) => s.pid === root);
  const queue = rootStat ? [rootStat] : [];
  while (queue.length > 0) {
    const s = queue.shift() as ProcStat;
    // Node names its main thread "MainThread"; count it as node.
    const name = s.comm === 'MainThread' ? 'node' : s.comm;
    byName.set(name, (byName.get(name) ?? 0) + s.cpuMs);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return byName;
}

/** True when a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
