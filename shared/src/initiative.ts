import * as z from 'zod';
import { addMonths, statementDestructionDeadlineFrom } from './calendar';
import { MEMBER_STATES } from './statement';

export { addMonths };

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
    .refine((s) => !/[<>]/.test(s) && !/\p{Cc}/u.test(s.replace(/[\n\r\t]/g, '')), {
      message: 'no control characters or markup',
      params: { code: 'invalid_characters' },
    });

export const initiativeContentSchema = z.strictObject({
  title: plainText(200),
  objectives: plainText(1200),
  annex: plainText(5000).optional(),
  website: z.url({ protocol: /^https$/ }).optional(),
});

/** The two contact persons of the group of organisers (Regulation (EU) 2019/788, Art. 5(3)). */
export const CONTACT_ROLES = ['representative', 'substitute'] as const;

export const organiserSchema = z.strictObject({
  name: plainText(200),
  country: z.enum(MEMBER_STATES),
  role: z.enum(['representative', 'substitute', 'member']).default('member'),
  /**
   * The e-mail address of a contact person (representative or substitute), as registered with the
   * Commission; the export names the contact persons with it. Members have none here.
   */
  email: z.email().max(254).optional(),
});

const collectionSchema = z.strictObject({
  start: isoDate,
  end: isoDate,
  /** The organisers' switch: false closes collection whatever the dates say. */
  enabled: z.boolean(),
});

/** The initiative's fields, shared by the stored schema and the organisers' PUT body. */
const initiativeShape = {
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
  collection: collectionSchema,
};

/** The rules across fields; each issue names its field and its contract code (`params.code`). */
function checkInitiative(
  value: {
    content: Partial<Record<EuLanguage, unknown>>;
    organisers: readonly { role: string; email?: string | undefined }[];
    collection: { start: string; end: string };
  },
  ctx: z.RefinementCtx,
): void {
  if (!value.content.en) {
    ctx.addIssue({
      code: 'custom',
      path: ['content', 'en'],
      message: 'English content is required (fallback).',
      params: { code: 'required' },
    });
  }
  for (const role of CONTACT_ROLES) {
    const holders = value.organisers.flatMap((o, i) => (o.role === role ? [i] : []));
    for (const index of holders.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['organisers', index, 'role'],
        message: `The group of organisers has one ${role}.`,
        params: { code: 'not_allowed' },
      });
    }
  }
  value.organisers.forEach((organiser, index) => {
    if (organiser.email !== undefined && organiser.role === 'member') {
      ctx.addIssue({
        code: 'custom',
        path: ['organisers', index, 'email'],
        message: 'Only the contact persons (representative, substitute) have an e-mail address here.',
        params: { code: 'not_allowed' },
      });
    }
  });
  if (value.collection.end < value.collection.start) {
    ctx.addIssue({
      code: 'custom',
      path: ['collection', 'end'],
      message: 'end is before start',
      params: { code: 'invalid_date' },
    });
  }
  if (addMonths(value.collection.start, 12) <= value.collection.end) {
    ctx.addIssue({
      code: 'custom',
      path: ['collection', 'end'],
      message: 'collection lasts at most 12 months',
      params: { code: 'invalid_date' },
    });
  }
}

/** The initiative as stored and as the deploy-time initiative file writes it. */
export const initiativeSchema = z.strictObject(initiativeShape).superRefine(checkInitiative);

/**
 * The body of `PUT /api/admin/initiative`: the initiative schema, except that
 * `collection.enabled` may be left out. Its value is not applied: the switch belongs to
 * `POST /api/admin/collection` (docs/admin-api.md), so a console that sends back what it read
 * cannot undo a pause made in the meantime.
 */
export const initiativeUpdateSchema = z
  .strictObject({
    ...initiativeShape,
    collection: collectionSchema.extend({ enabled: z.boolean().optional() }),
  })
  .superRefine(checkInitiative);

export type Initiative = z.infer<typeof initiativeSchema>;
export type InitiativeUpdate = z.infer<typeof initiativeUpdateSchema>;
export type CollectionStatus = 'not_started' | 'open' | 'closed';

/**
 * The collection status as the organisers see it: `paused` is the public `closed` of a
 * collection that is within its dates but switched off.
 */
export type OrganiserCollectionStatus = 'not_started' | 'open' | 'paused' | 'closed';

/**
 * Test mode (a new initiative, the local demo included) accepts statements as test statements,
 * stored and counted apart and never exported; live mode is the real collection. Go-live is
 * one-way.
 */
export const INITIATIVE_MODES = ['test', 'live'] as const;
export type InitiativeMode = (typeof INITIATIVE_MODES)[number];

/** What the initiative item holds beside the initiative itself. */
export interface InitiativeLifecycle {
  /** `test` when absent from the item (a new initiative). */
  readonly mode: InitiativeMode;
  /** When go-live happened (ISO 8601 instant). */
  readonly liveSince?: string;
  /** The date the initiative was submitted to the Commission (`YYYY-MM-DD`). */
  readonly submittedOn?: string;
  /** Reserved: the date the organisers withdrew the initiative (no route sets it yet). */
  readonly withdrawnOn?: string;
  /**
   * Go-live switched the mode but has not finished deleting the test data and recording it in
   * the audit trail: the next go-live request finishes both.
   */
  readonly testWipePending?: boolean;
  /** Until when (ISO 8601 instant) the request that went live has to finish it, alone. */
  readonly testWipeLeaseUntil?: string;
}

/** The whole initiative item: the initiative, its lifecycle and a version for conditional writes. */
export interface InitiativeState {
  readonly initiative: Initiative;
  readonly lifecycle: InitiativeLifecycle;
  /** Increases with every write; 0 for an item never written by the API (seeded at deploy). */
  readonly version: number;
}

/** The facts go-live locks (Regulation (EU) 2019/788, Art. 6: what the Commission registered). */
export const REGISTERED_FACTS = ['id', 'registrationNumber', 'registrationDate', 'collection.start'] as const;
export type RegisteredFact = (typeof REGISTERED_FACTS)[number];

/** The registered facts whose value differs between two versions of the initiative. */
export function changedRegisteredFacts(before: Initiative, after: Initiative): RegisteredFact[] {
  const value = (i: typeof before, fact: RegisteredFact) =>
    fact === 'collection.start' ? i.collection.start : i[fact];
  return REGISTERED_FACTS.filter((fact) => value(before, fact) !== value(after, fact));
}

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

/**
 * The organisers' view of the status at `now`: `paused` when within the dates but switched off;
 * `closed` after the end date whatever the switch (collection closes by itself).
 */
export function organiserCollectionStatus(
  initiative: Pick<Initiative, 'collection'>,
  now: Date,
): OrganiserCollectionStatus {
  const today = brusselsDate(now);
  const { start, end, enabled } = initiative.collection;
  if (today < start) return 'not_started';
  if (today > end) return 'closed';
  return enabled ? 'open' : 'paused';
}

/**
 * The legal destruction deadline of statements (the outer limit): 21 months after the collection
 * starts (Commission Data Protection Guidance Q16). Earlier deadlines (one month after submission
 * or withdrawal) are applied by the destruction job; this one bounds every stored item.
 */
export function statementDestructionDeadline(initiative: Pick<Initiative, 'collection'>): string {
  return statementDestructionDeadlineFrom(initiative.collection.start);
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
