import type { AdminFieldError, AdminFieldErrorCode } from '@ocs/shared/contract/admin-api';
import {
  type EuLanguage,
  type Initiative,
  initiativeUpdateSchema,
  REGISTERED_FACTS,
  type RegisteredFact,
} from '@ocs/shared/initiative';
import type { MemberStateCode } from '@ocs/shared/statement';

/**
 * The initiative form's model: the deploy-time initiative schema as strings a form can bind to,
 * and back. Validation is the schema's own (`initiativeUpdateSchema`, the one the server applies
 * to `PUT /api/admin/initiative`), its issues turned into errors next to the fields.
 */

export type OrganiserRole = 'representative' | 'substitute' | 'member';

export interface ContentForm {
  title: string;
  objectives: string;
  annex: string;
  website: string;
}

export interface OrganiserForm {
  name: string;
  country: MemberStateCode | '';
  role: OrganiserRole;
  /** A contact person's e-mail address as registered (members have none). */
  email: string;
}

/** Roles whose holders are the contact persons and have an e-mail address. */
export function isContactRole(role: OrganiserRole): boolean {
  return role === 'representative' || role === 'substitute';
}

export interface InitiativeForm {
  id: string;
  registrationNumber: string;
  registrationDate: string;
  registerUrl: string;
  partialRegistration: string;
  certificateUrl: string;
  languages: EuLanguage[];
  content: Partial<Record<EuLanguage, ContentForm>>;
  organisers: OrganiserForm[];
  dataProtectionContact: { name: string; email: string };
  collection: { start: string; end: string; enabled: boolean };
}

/** Whether a field is a registered fact: after go-live the server refuses to change it (409 live_locked). */
export function isRegisteredFact(field: string): field is RegisteredFact {
  return (REGISTERED_FACTS as readonly string[]).includes(field);
}

export function emptyContent(): ContentForm {
  return { title: '', objectives: '', annex: '', website: '' };
}

export function emptyOrganiser(): OrganiserForm {
  return { name: '', country: '', role: 'member', email: '' };
}

/** The form of a stored initiative. */
export function toForm(initiative: Initiative): InitiativeForm {
  const content: Partial<Record<EuLanguage, ContentForm>> = {};
  const languages = [...initiative.languages];
  for (const lang of Object.keys(initiative.content) as EuLanguage[]) {
    if (!languages.includes(lang)) languages.push(lang);
  }
  for (const lang of languages) {
    const value = initiative.content[lang];
    content[lang] = {
      title: value?.title ?? '',
      objectives: value?.objectives ?? '',
      annex: value?.annex ?? '',
      website: value?.website ?? '',
    };
  }
  return {
    id: initiative.id,
    registrationNumber: initiative.registrationNumber,
    registrationDate: initiative.registrationDate,
    registerUrl: initiative.registerUrl,
    partialRegistration: initiative.partialRegistration ?? '',
    certificateUrl: initiative.certificateUrl ?? '',
    languages,
    content,
    organisers: initiative.organisers.map((o) => ({
      name: o.name,
      country: o.country,
      role: o.role,
      email: (o as { email?: string }).email ?? '',
    })),
    dataProtectionContact: { ...initiative.dataProtectionContact },
    collection: { ...initiative.collection },
  };
}

/** Optional text: absent when blank (the schema has no empty strings). */
function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim() === '' ? {} : ({ [key]: value.trim() } as Record<K, string>);
}

/**
 * The initiative a form describes, as the API takes it (the whole of it: PUT replaces; an
 * `UpdateInitiativeRequest`, whose `collection.enabled` the server does not apply).
 */
export function fromForm(form: InitiativeForm): Initiative {
  const content: Initiative['content'] = {};
  for (const lang of form.languages) {
    const value = form.content[lang] ?? emptyContent();
    content[lang] = {
      title: value.title.trim(),
      objectives: value.objectives.trim(),
      ...optional('annex', value.annex),
      ...optional('website', value.website),
    };
  }
  return {
    id: form.id.trim(),
    registrationNumber: form.registrationNumber.trim(),
    registrationDate: form.registrationDate,
    languages: [...form.languages],
    content,
    organisers: form.organisers.map((o) => ({
      name: o.name.trim(),
      country: o.country as MemberStateCode,
      role: o.role,
      // Only contact persons have an address; a member's is dropped with the role change.
      ...(isContactRole(o.role) ? optional('email', o.email) : {}),
    })),
    registerUrl: form.registerUrl.trim(),
    ...optional('partialRegistration', form.partialRegistration),
    ...optional('certificateUrl', form.certificateUrl),
    dataProtectionContact: {
      name: form.dataProtectionContact.name.trim(),
      email: form.dataProtectionContact.email.trim(),
    },
    collection: { ...form.collection },
  };
}

/** What is wrong with a field, for its translated message. */
export type FormErrorKind =
  | 'required'
  | 'too_long'
  | 'format'
  | 'english_required'
  | 'end_before_start'
  | 'collection_too_long'
  | 'locked'
  | 'invalid_characters'
  | 'invalid_date'
  | 'not_allowed'
  | 'invalid';

export interface FormError {
  /** Dotted path of the field (`content.en.title`, `organisers.0.name`). */
  readonly field: string;
  readonly kind: FormErrorKind;
  /** The limit of `too_long`. */
  readonly max?: number;
  /** The server's own text, shown when the kind is `invalid` and it has one. */
  readonly message?: string;
}

interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly maximum?: number | bigint;
  readonly minimum?: number | bigint;
  /** A refinement's contract code, where the schema names one. */
  readonly params?: { readonly code?: unknown };
}

function issueKind(issue: SchemaIssue, field: string): Pick<FormError, 'kind' | 'max'> {
  switch (issue.code) {
    case 'too_small':
    case 'invalid_type':
      return { kind: 'required' };
    case 'too_big':
      return issue.maximum === undefined
        ? { kind: 'invalid' }
        : { kind: 'too_long', max: Number(issue.maximum) };
    case 'invalid_format':
    case 'invalid_value':
      return { kind: 'format' };
    case 'custom':
      if (issue.params?.code === 'invalid_characters' || /markup/.test(issue.message)) {
        return { kind: 'invalid_characters' };
      }
      if (issue.params?.code === 'not_allowed') return { kind: 'not_allowed' };
      if (field === 'content.en') return { kind: 'english_required' };
      if (field === 'collection.end')
        return { kind: /12 months/.test(issue.message) ? 'collection_too_long' : 'end_before_start' };
      return { kind: 'invalid' };
    default:
      return { kind: 'invalid' };
  }
}

/** The schema's verdict on a form: one error per field (the first), in the form's order. */
export function validateForm(form: InitiativeForm): FormError[] {
  const result = initiativeUpdateSchema.safeParse(fromForm(form));
  if (result.success) return [];
  const errors = new Map<string, FormError>();
  for (const issue of result.error.issues as readonly SchemaIssue[]) {
    const field = issue.path.map(String).join('.');
    if (!errors.has(field)) errors.set(field, { field, ...issueKind(issue, field) });
  }
  return [...errors.values()];
}

/** The organiser API's field error codes the form has words for (docs/admin-api.md). */
const SERVER_KINDS: Partial<Record<string, FormErrorKind>> = {
  required: 'required',
  too_long: 'too_long',
  invalid_format: 'format',
  invalid_date: 'invalid_date',
  invalid_characters: 'invalid_characters',
  not_allowed: 'not_allowed',
} satisfies Partial<Record<AdminFieldErrorCode, FormErrorKind>>;

/** The registered facts a 409 `live_locked` names, as errors next to their fields. */
export function fromLiveLocked(fields: readonly RegisteredFact[]): FormError[] {
  return fields.map((field) => ({ field, kind: 'locked' }));
}

/** The server's 422 field errors as form errors (its message kept for codes the console does not know). */
export function fromServerErrors(errors: readonly AdminFieldError[]): FormError[] {
  return errors.map((error) => {
    const kind = SERVER_KINDS[error.code] ?? 'invalid';
    return kind === 'invalid' && error.message
      ? { field: error.field, kind, message: error.message }
      : { field: error.field, kind };
  });
}

/** The id of a field's input: `content.en.title` → `f-content-en-title`. */
export function fieldId(field: string): string {
  return `f-${field.replace(/\./g, '-')}`;
}

/** The errors of one field. */
export function errorFor(errors: readonly FormError[], field: string): FormError | undefined {
  return errors.find((error) => error.field === field);
}

/**
 * The nearest field that shows an error of `field` (an error on `content.fr` shows on its title;
 * one on `organisers` on the list's first name; `languages` on the language picker).
 */
export function displayField(field: string, form: InitiativeForm): string {
  if (/^content\.[a-z]{2}$/.test(field)) return `${field}.title`;
  if (field === 'content') return `content.${form.languages[0] ?? 'en'}.title`;
  if (field === 'organisers') return 'organisers.0.name';
  if (field === 'dataProtectionContact') return 'dataProtectionContact.name';
  return field;
}
