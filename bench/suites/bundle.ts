import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { handlerModule, ROUTES } from '@ocs/shared/contract/routes';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { Figure } from '../lib/figures';
import type { BenchContext } from '../lib/measure';
import { max, median, min, round } from '../lib/stats';

/**
 * The submit function's bundle (target <= 300 KB minified, AWS SDK external) and its import time
 * in Node 24 (target <= 100 ms, docs/benchmarks.md). Bundled by esbuild with the options the CDK construct
 * (infra/lib/constructs/ocs-function.ts) gives NodejsFunction, except `external: ['@aws-sdk/*']`;
 * then imported in fresh Node processes with the AWS runtime's environment (fake identifiers),
 * median of 5. The same, quickly, for every other route's handler; and, for information, the bundle
 * as infra deploys it (SDK bundled in).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(repoRoot, 'bench', 'results', 'bundles');
/** The submit function first (it has the targets), then every other route's handler. */
const HANDLERS = [
  'submit-statement',
  ...ROUTES.map((r) => handlerModule(r.handler)).filter((h) => h !== 'submit-statement'),
];
const SIZE_TARGET = 300 * 1024;
const IMPORT_TARGET_MS = 100;
const RUNS = 5;

/** The banner the CDK construct adds: CommonJS dependencies inside an ESM bundle need `require`. */
const BANNER =
  "import{createRequire as __ocsCreateRequire}from'node:module';const require=__ocsCreateRequire(import.meta.url);";

/** The environment a deployed function has (identifiers only; fake values, nothing is called). */
const AWS_ENV: Record<string, string> = {
  OCS_RUNTIME: 'aws',
  OCS_TABLE_NAME: 'ocs-bench-table',
  OCS_INITIATIVE_ID: 'eci-2026-000001',
  OCS_DATA_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  OCS_DEDUP_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/dedup-AbCdEf',
  OCS_CHALLENGE_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/challenge-GhIjKl',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
  AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
  POWERTOOLS_SERVICE_NAME: 'ocs',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** Imports the modules named on the command line and prints how long that took. */
const PROBE = `const t0 = performance.now();
for (const spec of process.argv.slice(2)) await import(spec);
const t1 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));
`;

/**
 * What-if only: zod's classic API re-exports every locale (`z.locales`), so a bundler keeps all of
 * them; this plugin replaces that re-export with an empty module to show what they cost.
 */
const dropZodLocales: Plugin = {
  name: 'bench-drop-zod-locales',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'bench-empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'bench-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly externals: string[];
  readonly top: string;
}

/** Who fills the bundle: bytes in the output per package (or per workspace source tree). */
function contributors(metafile: Metafile, output: string): string {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const byOwner = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match?.[1] ?? path.split('/').slice(0, 2).join('/');
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
  }
  return [...byOwner]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([owner, bytes]) => `${owner} ${(bytes / 1024).toFixed(0)} KB`)
    .join(', ');
}

async function bundle(
  handler: string,
  sdk: 'external' | 'bundled',
  options: { withoutZodLocales?: boolean } = {},
): Promise<Bundle> {
  const file = join(outDir, `${handler}.sdk-${sdk}${options.withoutZodLocales ? '.no-zod-locales' : ''}.mjs`);
  const result = await build({
    entryPoints: [join(repoRoot, 'functions', 'src', 'handlers', `${handler}.ts`)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    external: sdk === 'external' ? ['@aws-sdk/*'] : [],
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'silent',
    plugins: options.withoutZodLocales ? [dropZodLocales] : [],
  });
  const code = readFileSync(file);
  const output = relative(process.cwd(), file);
  const key = Object.keys(result.metafile.outputs).find((o) => resolve(o) === file) ?? output;
  const externals = [
    ...new Set(
      (result.metafile.outputs[key]?.imports ?? [])
        .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path),
    ),
  ].sort();
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    externals,
    top: contributors(result.metafile, key),
  };
}

interface ImportStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median time from process start to the end of the import. */
  readonly startup: number;
}

/**
 * Import time of each set of modules, each run in a fresh Node (this one: Node 24) with the AWS
 * environment: one discarded run, then RUNS runs whose order alternates between the sets (so a
 * change in the machine's load hits all of them alike); median per set.
 */
function importTimes(probe: string, sets: readonly (readonly string[])[]): ImportStats[] {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(OCS_|AWS_|POWERTOOLS_|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  Object.assign(env, AWS_ENV);
  const runs = sets.map(() => [] as { importMs: number; sinceStartMs: number }[]);
  for (let i = 0; i <= RUNS; i++) {
    sets.forEach((specs, j) => {
      const out = spawnSync(process.execPath, [probe, ...specs], { cwd: outDir, env, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`import of ${specs.join(', ')} failed:\n${out.stderr}`);
      if (i > 0) runs[j]?.push(JSON.parse(out.stdout) as { importMs: number; sinceStartMs: number });
    });
  }
  return runs.map((r) => {
    const times = r.map((x) => x.importMs);
    return {
      median: round(median(times), 1),
      min: round(min(times), 1),
      max: round(max(times), 1),
      startup: round(median(r.map((x) => x.sinceStartMs)), 1),
    };
  });
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const probe = join(outDir, 'import-probe.mjs');
  writeFileSync(probe, PROBE);
  const url = (file: string) => pathToFileURL(file).href;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

  const figures: Figure[] = [];
  for (const handler of HANDLERS) {
    const isSubmit = handler === 'submit-statement';
    const external = await bundle(handler, 'external');
    const deployed = isSubmit ? await bundle(handler, 'bundled') : undefined;
    const lean = isSubmit ? await bundle(handler, 'external', { withoutZodLocales: true }) : undefined;
    const sets: string[][] = [[url(external.file)]];
    if (external.externals.length) sets.push(external.externals);
    if (deployed && lean) sets.push([url(deployed.file)], [url(lean.file)]);
    const [time, sdkOnly, deployedTime, leanTime] = importTimes(probe, sets) as [
      ImportStats,
      ImportStats | undefined,
      ImportStats | undefined,
      ImportStats | undefined,
    ];
    const withoutSdk = sdkOnly ? round(time.median - sdkOnly.median, 1) : time.median;
    ctx.log(
      `${handler}: ${kb(external.bytes)}, import ${time.median} ms (SDK alone ${sdkOnly?.median ?? 0} ms)`,
    );
    figures.push(
      {
        key: `${handler}.bytes`,
        metric: `Bundle ${handler} (SDK external)`,
        value: external.bytes,
        unit: 'bytes',
        target: { op: '<=', value: SIZE_TARGET },
        note: `esbuild, minified ESM for node24, @aws-sdk/* external; gzip -9 ${kb(external.gzipBytes)}; largest: ${external.top}`,
        details: { gzipBytes: external.gzipBytes, externals: external.externals },
      },
      {
        key: `${handler}.importMs`,
        metric: `Import ${handler} (SDK external)`,
        value: time.median,
        unit: 'ms',
        target: { op: '<=', value: IMPORT_TARGET_MS },
        note: `fresh Node ${process.version} per run, AWS env set, median of ${RUNS} (${time.min}-${time.max} ms), process start to ready ${time.startup} ms; the SDK packages it loads from node_modules (${external.externals.map((e) => e.replace('@aws-sdk/', '')).join(', ') || 'none'}) take ${sdkOnly ? `${sdkOnly.median} ms alone` : '-'}, so ~${withoutSdk} ms is the bundle's own`,
        details: { ...time, sdkOnly, withoutSdkMs: withoutSdk },
      },
    );
    if (lean && leanTime) {
      ctx.log(`${handler} without zod's locales: ${kb(lean.bytes)}, import ${leanTime.median} ms`);
      figures.push({
        key: `${handler}.withoutZodLocales.bytes`,
        metric: `What-if: ${handler} without zod locales`,
        value: lean.bytes,
        unit: 'bytes',
        note: `the SDK-external bundle with zod's re-exported locales (z.locales, unused) replaced by an empty module; import ${leanTime.median} ms (median of ${RUNS}); what importing zod/mini (or dropping the locales) would save`,
        details: { gzipBytes: lean.gzipBytes, import: leanTime },
      });
    }
    if (deployed && deployedTime) {
      ctx.log(`${handler} as deployed: ${kb(deployed.bytes)}, import ${deployedTime.median} ms`);
      figures.push(
        {
          key: `${handler}.deployed.bytes`,
          metric: `Bundle ${handler} as deployed (SDK in)`,
          value: deployed.bytes,
          unit: 'bytes',
          note: `infra's OcsFunction bundles the SDK in (externalModules: []); gzip -9 ${kb(deployed.gzipBytes)}; largest: ${deployed.top}`,
          details: { gzipBytes: deployed.gzipBytes },
        },
        {
          key: `${handler}.deployed.importMs`,
          metric: `Import ${handler} as deployed`,
          value: deployedTime.median,
          unit: 'ms',
          note: `median of ${RUNS} (${deployedTime.min}-${deployedTime.max} ms), process start to ready ${deployedTime.startup} ms`,
          details: { ...deployedTime },
        },
      );
    }
  }
  return figures;
}
