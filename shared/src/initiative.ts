import * as z from 'zod';
import { MEMBER_STATES } from './statement';

/**
 * The initiative one deployment serves: its public facts (GET /api/initiative), its collection
 * window and the organisers' switch. Stored as one item; seeded locally on first start and, in
 * AWS, from the operator's configuration at deploy time.
 */

/** The 24 official EU languages, ISO 639-1. */
export const EU_LANGUAGES = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fi',
  'fr',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nl',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'sv',
] as const;
export type EuLanguage = (typeof EU_LANGUAGES)[number];

const isoDate = z.iso.date();
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (s) => !/[<>]/.test(s) && !/\p{Cc}/u.test(s.replace(/[\n\r\t]/g, '')),
      'no control characters or markup',
    );

export const initiativeContentSchema = z.strictObject({
  title: plainText(200),
  objectives: plainText(1200),
  annex: plainText(5000).optional(),
  website: z.url({ protocol: /^https$/ }).optional(),
});

export const organiserSchema = z.strictObject({
  name: plainText(200),
  country: z.enum(MEMBER_STATES),
  role: z.enum(['representative', 'substitute', 'member']).default('member'),
});

export const initiativeSchema = z
  .strictObject({
    /** Stable slug; it names the initiative in every encryption context. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/),
    registrationNumber: z.string().regex(/^ECI\(\d{4}\)\d{6}$/),
    registrationDate: isoDate,
    languages: z.array(z.enum(EU_LANGUAGES)).min(1),
    content: z.partialRecord(z.enum(EU_LANGUAGES), initiativeContentSchema),
    organisers: z.array(organiserSchema).min(1),
    registerUrl: z.url({ protocol: /^https$/ }),
    /** Scope of a partial registration, shown on the form when present. */
    partialRegistration: plainText(2000).optional(),
    /** Link to the Annex IV certificate of conformity, once issued. */
    certificateUrl: z.url({ protocol: /^https$/ }).optional(),
    /** Who answers data-protection questions on the organisers' behalf. */
    dataProtectionContact: z.strictObject({ name: plainText(200), email: z.email().max(254) }),
    collection: z.strictObject({
      start: isoDate,
      end: isoDate,
      /** The organisers' switch: false closes collection whatever the dates say. */
      enabled: z.boolean(),
    }),
  })
  .superRefine((value, ctx) => {
    if (!value.content.en) {
      ctx.addIssue({
        code: 'custom',
        path: ['content', 'en'],
        message: 'English content is required (fallback).',
      });
    }
    if (value.collection.end < value.collection.start) {
      ctx.addIssue({ code: 'custom', path: ['collection', 'end'], message: 'end is before start' });
    }
    if (addMonths(value.collection.start, 12) <= value.collection.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['collection', 'end'],
        message: 'collection lasts at most 12 months',
      });
    }
  });

export type Initiative = z.infer<typeof initiativeSchema>;
export type CollectionStatus = 'not_started' | 'open' | 'closed';

let brussels: Intl.DateTimeFormat | undefined;

/** The calendar date in Brussels, where the Commission's register keeps its dates. */
export function brusselsDate(now: Date): string {
  // Building a DateTimeFormat costs ~180 µs; it is built once and reused (~2.5 µs a call).
  brussels ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return brussels.format(now);
}

/** Whether collection is open at `now`: inside [start, end] (Brussels dates) and switched on. */
export function collectionStatus(initiative: Pick<Initiative, 'collection'>, now: Date): CollectionStatus {
  const today = brusselsDate(now);
  const { start, end, enabled } = initiative.collection;
  if (today < start) return 'not_started';
  if (today > end || !enabled) return 'closed';
  return 'open';
}

/** `YYYY-MM-DD` plus `months` calendar months (day clamped to the month's length). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The legal destruction deadline of statements (the outer limit): 21 months after the collection
 * starts (Commission Data Protection Guidance Q16). Earlier deadlines (one month after submission
 * or withdrawal) are applied by the destruction job; this one bounds every stored item.
 */
export function statementDestructionDeadline(initiative: Pick<Initiative, 'collection'>): string {
  return addMonths(initiative.collection.start, 21);
}

/**
 * The outer retention limit of the optional e-mail addresses (kept apart from the statements, with
 * the signatory's consent, for updates on the initiative): 12 months after the end of the
 * collection period (Commission Data Protection Guidance Q16). Until then, and no longer, the
 * organisers may export them.
 */
export function emailRetentionDeadline(initiative: Pick<Initiative, 'collection'>): string {
  return addMonths(initiative.collection.end, 12);
}
