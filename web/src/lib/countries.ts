import { type DocumentType, MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import type { Language, Messages } from './i18n.ts';

/**
 * Country names. The 27 Member States are translated in the messages (they name nationalities
 * and the progress table, so every language gets a reviewed name); other countries of residence
 * come from the browser's `Intl.DisplayNames`, in the page's language where the browser has it.
 */

export function isMemberState(code: string): code is MemberStateCode {
  return (MEMBER_STATES as readonly string[]).includes(code);
}

export function memberStateName(m: Messages, code: MemberStateCode): string {
  return m[`country_${code.toLowerCase() as Lowercase<MemberStateCode>}`]();
}

/** The name of a document type (Part B), in the page's language. */
export function documentTypeName(m: Messages, type: DocumentType): string {
  switch (type) {
    case 'passport':
      return m.doc_passport();
    case 'idCard':
      return m.doc_id_card();
    case 'personalNumber':
      return m.doc_personal_number();
    case 'citizensCard':
      return m.doc_citizens_card();
  }
}

/** ISO 3166-1 alpha-2 → EU code, for the two that differ in the EU's usage (GR → EL). */
function euCode(iso: string): string {
  return iso === 'GR' ? 'EL' : iso;
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

function regionNames(lang: Language): Intl.DisplayNames | null {
  if (!displayNames.has(lang)) {
    let names: Intl.DisplayNames | null = null;
    try {
      const supported = Intl.DisplayNames.supportedLocalesOf([lang]);
      names = new Intl.DisplayNames(supported.length ? supported : ['en'], {
        type: 'region',
        fallback: 'code',
      });
    } catch {
      names = null;
    }
    displayNames.set(lang, names);
  }
  return displayNames.get(lang) ?? null;
}

/** The name of any country by its ISO code (or EU code) in `lang`. */
export function countryName(m: Messages, lang: Language, code: string): string {
  const eu = euCode(code);
  if (isMemberState(eu)) return memberStateName(m, eu);
  return regionNames(lang)?.of(code) ?? code;
}

/** Sorts items by their display name, as the language sorts. */
export function sortByName<T>(lang: Language, items: readonly T[], name: (item: T) => string): T[] {
  const collator = new Intl.Collator(lang);
  return [...items].sort((a, b) => collator.compare(name(a), name(b)));
}
