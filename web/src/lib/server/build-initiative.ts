import { readFile } from 'node:fs/promises';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { EU_LANGUAGES, initiativeContentSchema } from '@ocs/shared/initiative';
import * as z from 'zod';
import { buildSettings, type InitiativeSource } from './build-settings.ts';

/**
 * The initiative as the build knows it: its texts in the organisers' languages, for the link
 * previews and share images of the prerendered pages. At run time the pages read the current
 * texts from `GET /api/initiative`; an organiser's edit reaches the static metadata with the
 * next build (see `build-settings.ts` for the sources).
 */

export interface BuildInitiative {
  readonly content: Readonly<Partial<Record<string, z.infer<typeof initiativeContentSchema>>>>;
}

/**
 * What the build reads from any source: the operator's file and the public API answer both have
 * `content` by language with `title` and `objectives` (other fields are not the build's concern).
 */
const sourceSchema = z
  .looseObject({ content: z.partialRecord(z.enum(EU_LANGUAGES), initiativeContentSchema) })
  .refine((value) => value.content.en !== undefined, {
    message: 'content.en is required (English is the fallback of every language)',
    path: ['content', 'en'],
  });

function validated(json: unknown, from: string): BuildInitiative {
  const parsed = sourceSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 20)
      .map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`The initiative from ${from} cannot be used:\n${problems.join('\n')}`);
  }
  return { content: parsed.data.content };
}

/** Time the build waits for a running system's `/api/initiative`. */
const FETCH_TIMEOUT_MS = 15_000;

/** Reads and validates the initiative from one source. `fetchFn` is for tests. */
export async function readInitiativeSource(
  source: InitiativeSource,
  fetchFn: typeof fetch = fetch,
): Promise<BuildInitiative> {
  switch (source.kind) {
    case 'demo':
      // The demo's texts do not depend on the day; its dates do, and the build does not use them.
      return validated(demoInitiative('demo-initiative', new Date()), 'the demo initiative');
    case 'file': {
      let text: string;
      try {
        text = await readFile(source.path, 'utf8');
      } catch (error) {
        throw new Error(
          `OCS_INITIATIVE_SOURCE: cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new Error(
          `OCS_INITIATIVE_SOURCE: ${source.path} is not valid JSON: ${(error as Error).message}`,
        );
      }
      return validated(json, source.path);
    }
    case 'url': {
      const response = await fetchFn(source.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`OCS_INITIATIVE_SOURCE: ${source.url} answered ${response.status}.`);
      return validated(await response.json(), source.url);
    }
  }
}

let pending: Promise<BuildInitiative> | undefined;

/** The initiative of this build, read once per process from the configured source. */
export function buildInitiative(): Promise<BuildInitiative> {
  pending ??= readInitiativeSource(buildSettings().initiativeSource);
  return pending;
}
