import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const run = promisify(execFile);

/** `npm run audit -- <args>` in its own process (tsx, as the npm script runs it): exit code and output. */
export function auditCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['functions/src/cli/audit.ts', ...args], {
    cwd: repoRoot,
    env,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}
