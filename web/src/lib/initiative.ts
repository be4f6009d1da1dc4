import { statementDestructionDeadlineFrom } from '@ocs/shared/calendar';
import { fetchInitiative, type InitiativeContent, type PublicInitiative } from './api.ts';

/**
 * The initiative's public facts, fetched once per page load and shared by every component
 * (header, footer, pages). Client-side only: the site is prerendered before the API exists.
 */
let pending: Promise<PublicInitiative> | null = null;

export function loadInitiative(): Promise<PublicInitiative> {
  pending ??= fetchInitiative().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** The initiative's texts in `lang` when the organisers provided them, else in English. */
export function contentFor(
  initiative: Pick<PublicInitiative, 'content'>,
  lang: string,
): { readonly content: InitiativeContent; readonly lang: string } {
  const own = initiative.content[lang];
  if (own) return { content: own, lang };
  const en = initiative.content.en;
  if (en) return { content: en, lang: 'en' };
  const [first] = Object.entries(initiative.content).filter(
    (entry): entry is [string, InitiativeContent] => entry[1] !== undefined,
  );
  if (!first) throw new Error('The initiative has no content.');
  return { content: first[1], lang: first[0] };
}

/**
 * When the collection's personal data will be destroyed at the latest: what the API says
 * (`destruction.deadline`, which a submission brings forward), else the outer limit of 21 months
 * after the collection start (an API without the field).
 */
export function destructionDate(
  initiative: Pick<PublicInitiative, 'collection'> & {
    readonly destruction?: PublicInitiative['destruction'];
  },
): string {
  return initiative.destruction?.deadline ?? statementDestructionDeadlineFrom(initiative.collection.start);
}
