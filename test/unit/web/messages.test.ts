import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EU_LANGUAGES } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LANGUAGES } from '../../../web/src/lib/console/languages.ts';
import { LANGUAGES } from '../../../web/src/lib/languages.ts';

/**
 * The site's messages, compiled by Paraglide JS from two inlang projects: `web/messages` (every
 * page) and `web/messages/legal` (the long texts of the receipt, privacy and accessibility pages);
 * and `web/messages/sign-in`, the organiser sign-in pages the local OpenID provider renders: every
 * one of the 24 official EU languages has every key of English, with the same parameters, no
 * empty text, and is not a copy of English. `web/messages/console`, the organiser console, is held
 * to the same rules in the languages the console speaks (at least English, French and German).
 */

const WEB = join(import.meta.dirname, '../../../web');
const SETS: readonly { name: string; dir: string; settings: string; languages: readonly string[] }[] = [
  {
    name: 'messages',
    dir: join(WEB, 'messages'),
    settings: join(WEB, 'project.inlang/settings.json'),
    languages: EU_LANGUAGES,
  },
  {
    name: 'legal messages',
    dir: join(WEB, 'messages/legal'),
    settings: join(WEB, 'legal.inlang/settings.json'),
    languages: EU_LANGUAGES,
  },
  {
    name: 'sign-in messages',
    dir: join(WEB, 'messages/sign-in'),
    settings: join(WEB, 'sign-in.inlang/settings.json'),
    languages: EU_LANGUAGES,
  },
  {
    name: 'console messages',
    dir: join(WEB, 'messages/console'),
    settings: join(WEB, 'console.inlang/settings.json'),
    languages: CONSOLE_LANGUAGES,
  },
];

type Messages = Record<string, string>;

function load(dir: string, lang: string): Messages {
  const raw = JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, unknown>;
  const { $schema: _schema, ...messages } = raw;
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value !== 'string') throw new Error(`${lang}.${key} is not a plain string message`);
  }
  return messages as Messages;
}

/** The `{name}` parameters of a message, sorted. */
function parameters(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('web languages', () => {
  it('lists the same languages in the site and the shared model', () => {
    expect([...LANGUAGES]).toEqual([...EU_LANGUAGES]);
  });

  it('has the console in at least English, French and German, all of them official EU languages', () => {
    expect(CONSOLE_LANGUAGES).toEqual(expect.arrayContaining(['en', 'fr', 'de']));
    for (const lang of CONSOLE_LANGUAGES) expect(EU_LANGUAGES).toContain(lang);
  });

  it('keeps every key in one project only', () => {
    const keys = SETS.flatMap((set) => Object.keys(load(set.dir, 'en')));
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });
});

for (const set of SETS) {
  describe(`web ${set.name}`, () => {
    const english = load(set.dir, 'en');
    const others = set.languages.filter((lang) => lang !== 'en');

    it('has exactly one message file per language of the project', () => {
      const files = readdirSync(set.dir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.replace(/\.json$/, ''))
        .sort();
      expect(files).toEqual([...set.languages].sort());
    });

    it('is compiled for the same languages, with English as the base', () => {
      const settings = JSON.parse(readFileSync(set.settings, 'utf8')) as {
        locales: string[];
        baseLocale: string;
      };
      expect(settings.locales).toEqual([...set.languages]);
      expect(settings.baseLocale).toBe('en');
    });

    it('uses keys Paraglide keeps as they are (lower-case snake case)', () => {
      for (const key of Object.keys(english)) expect(key).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    });

    it.each(others)('%s has every key of English and no other', (lang) => {
      const messages = load(set.dir, lang);
      const missing = Object.keys(english).filter((key) => !(key in messages));
      const extra = Object.keys(messages).filter((key) => !(key in english));
      expect({ lang, missing, extra }).toEqual({ lang, missing: [], extra: [] });
    });

    it.each(others)('%s is translated, not a copy of English', (lang) => {
      const messages = load(set.dir, lang);
      // Some texts are legitimately the same (country names such as Malta, "25–49 %", "Format: {format}").
      const same = Object.keys(english).filter((key) => messages[key] === english[key]);
      expect(same.length, `${lang} repeats English in ${same.join(', ')}`).toBeLessThan(
        Object.keys(english).length * 0.1,
      );
    });

    it.each(set.languages)(
      '%s uses the same parameters as English in every message, and no empty text',
      (lang) => {
        const messages = load(set.dir, lang);
        for (const [key, text] of Object.entries(english)) {
          const translated = messages[key] ?? '';
          expect(translated.trim(), `${lang}.${key} is empty`).not.toBe('');
          expect(parameters(translated), `${lang}.${key} parameters`).toEqual(parameters(text));
        }
      },
    );
  });
}
