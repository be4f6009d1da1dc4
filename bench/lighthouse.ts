/**
 * `npx tsx bench/lighthouse.ts [--url http://localhost:8080]`: Lighthouse (npm `lighthouse`,
 * Debian's Chromium) on the citizen pages, mobile profile with Lighthouse's default simulated
 * throttling. Prints the performance and accessibility scores (targets: >= 95 and 100) and the
 * sign page's transfer sizes, the first load (JavaScript and CSS, gzipped at level 9 as the e2e
 * budget measures it) of the sign page next to the organiser console's, and writes
 * bench/results/lighthouse.json. Without --url it starts
 * its own `npm start` (fresh data directory, free port) and stops it afterwards. A benchmark,
 * not a test: it reports figures and never fails on them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const here = dirname(fileURLToPath(import.meta.url));
const PAGES = [
  '/en/',
  '/en/sign/',
  '/de/sign/',
  '/el/',
  '/bg/privacy/',
  '/en/receipt/',
  '/embed/progress/',
  '/console/',
];
/** Pages whose first load is also reported as gzipped JS + CSS (the console loads signed out). */
const FIRST_LOAD_PAGES = ['/en/sign/', '/console/'];
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function startServer(): Promise<{ origin: string; server: ChildProcess }> {
  const port = 8190 + Math.floor(Math.random() * 500);
  const server = spawn('npm', ['start'], {
    cwd: join(here, '..'),
    env: { ...process.env, PORT: String(port), OCS_DATA_DIR: mkdtempSync(join(tmpdir(), 'ocs-lh-')) },
    stdio: 'ignore',
    detached: true,
  });
  const origin = `http://localhost:${port}`;
  await waitFor(`${origin}/api/initiative`, 300_000);
  return { origin, server };
}

function stop(server: ChildProcess): void {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
}

const urlArg = process.argv.indexOf('--url');
const given = urlArg >= 0 ? process.argv[urlArg + 1] : undefined;
const { origin, server } = given ? { origin: given, server: null } : await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.OCS_CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: CHROME_FLAGS,
});

const rows: Record<string, unknown>[] = [];
const firstLoads: Record<string, unknown>[] = [];

/** JS and CSS a page fetched, each gzipped at level 9 (what the e2e budget of the sign page counts). */
async function gzippedFirstLoad(urls: readonly string[]): Promise<{ files: number; gzipBytes: number }> {
  let gzipBytes = 0;
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: urls.length, gzipBytes };
}

try {
  for (const path of PAGES) {
    const result = await lighthouse(`${origin}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`no result for ${path}`);
    const items = (
      lhr.audits['network-requests']?.details as {
        items?: { url?: string; resourceType?: string; transferSize?: number }[];
      }
    )?.items;
    if (FIRST_LOAD_PAGES.includes(path)) {
      const urls = (items ?? [])
        .filter((item) => item.resourceType === 'Script' || item.resourceType === 'Stylesheet')
        .map((item) => item.url ?? '')
        // The ALTCHA proof-of-work workers are not part of the sign page's first load (its budget excludes them).
        .filter((url) => url.startsWith(origin) && !/\/(pbkdf2|sha|argon2id|scrypt)[-.][^/]*\.js$/.test(url));
      firstLoads.push({ page: path, ...(await gzippedFirstLoad([...new Set(urls)])) });
    }
    const jsCss = (items ?? [])
      .filter((item) => item.resourceType === 'Script' || item.resourceType === 'Stylesheet')
      .reduce((sum, item) => sum + (item.transferSize ?? 0), 0);
    rows.push({
      page: path,
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      fcpMs: Math.round(lhr.audits['first-contentful-paint']?.numericValue ?? 0),
      lcpMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
      tbtMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
      cls: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
      jsCssTransferBytes: jsCss,
    });
  }
} finally {
  chrome.kill();
  if (server) stop(server);
}

console.table(rows);
console.log("First load, JavaScript and CSS gzipped (level 9); the sign page's budget is 61440 bytes:");
console.table(firstLoads);
console.log(
  'Targets: performance >= 95, accessibility = 100 (Lighthouse mobile profile, simulated throttling).',
);
console.log(
  'jsCssTransferBytes: every script and stylesheet fetched during the run, as transferred by the server.',
);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'lighthouse.json'),
  `${JSON.stringify({ origin, at: new Date().toISOString(), rows, firstLoads }, null, 2)}\n`,
);
