import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';

/**
 * The settings of one build of the site, read from the environment of `npm run build:web` (and
 * of `npm start`, which builds): both are needed while pages are prerendered, when no API runs.
 *
 * - `OCS_SITE_ORIGIN`: the public origin citizens use (`https://sign.example.eu`). Link previews
 *   need absolute URLs (`og:url`, `og:image`, language alternates). Default
 *   `http://localhost:<PORT>` (PORT 8080 when unset or 0), which is right for `npm start`.
 * - `OCS_INITIATIVE_SOURCE`: where the initiative's title and objectives come from for the
 *   metadata and share images: a JSON file (the operator's initiative file, or a saved answer of
 *   `GET /api/initiative`), or the http(s) URL of a running system's `/api/initiative` (the only
 *   case in which the build uses the network). Default: the demo initiative `npm start` seeds.
 *   A relative path is taken from the directory the command was started in.
 */

export type InitiativeSource =
  | { readonly kind: 'demo' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string };

export interface BuildSettings {
  readonly siteOrigin: string;
  readonly initiativeSource: InitiativeSource;
}

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const originSchema = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: `is not a URL: '${value}'` });
    return z.NEVER;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an origin such as https://sign.example.eu (scheme and host, no path), got '${value}'`,
    });
    return z.NEVER;
  }
  return url.origin;
});

const envSchema = z.object({
  OCS_SITE_ORIGIN: z.preprocess(blank, originSchema.optional()),
  OCS_INITIATIVE_SOURCE: z.preprocess(blank, z.string().trim().optional()),
  PORT: z.preprocess(blank, z.coerce.number().int().min(0).max(65_535).default(8080)),
  /** Where npm was started (npm sets it for every script); relative paths start there. */
  INIT_CWD: z.preprocess(blank, z.string().optional()),
});

/**
 * Reads the build settings from an environment; throws one message naming each bad variable.
 * `cwd` is the fallback base of relative paths when npm did not set `INIT_CWD`.
 */
export function parseBuildSettings(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): BuildSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid build settings:\n${problems.join('\n')}`);
  }
  const { OCS_SITE_ORIGIN, OCS_INITIATIVE_SOURCE, PORT, INIT_CWD } = parsed.data;
  const siteOrigin = OCS_SITE_ORIGIN ?? `http://localhost:${PORT === 0 ? 8080 : PORT}`;
  let initiativeSource: InitiativeSource = { kind: 'demo' };
  if (OCS_INITIATIVE_SOURCE !== undefined) {
    initiativeSource = /^https?:\/\//i.test(OCS_INITIATIVE_SOURCE)
      ? { kind: 'url', url: new URL(OCS_INITIATIVE_SOURCE).href }
      : {
          kind: 'file',
          path: isAbsolute(OCS_INITIATIVE_SOURCE)
            ? OCS_INITIATIVE_SOURCE
            : resolve(INIT_CWD ?? cwd, OCS_INITIATIVE_SOURCE),
        };
  }
  return { siteOrigin, initiativeSource };
}

let current: BuildSettings | undefined;

/** This process's build settings, read from `process.env` once. */
export function buildSettings(): BuildSettings {
  current ??= parseBuildSettings(process.env, process.cwd());
  return current;
}
