import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EU_LANGUAGES } from '@ocs/shared/initiative';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../web/src/lib/languages.ts';

/**
 * The site's messages (web/messages/{lang}.json, compiled by Paraglide JS): every one of the 24
 * official EU languages has every key of English, with the same parameters, and no empty text.
 */

const MESSAGES_DIR = join(import.meta.dirname, '../../../web/messages');
const SETTINGS = join(import.meta.dirname, '../../../web/project.inlang/settings.json');

type Messages = Record<string, string>;

function load(lang: string): Messages {
  const raw = JSON.parse(readFileSync(join(MESSAGES_DIR, `${lang}.json`), 'utf8')) as Record<string, unknown>;
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

const english = load('en');

describe('web messages', () => {
  it('has exactly one message file per official EU language', () => {
    const files = readdirSync(MESSAGES_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...EU_LANGUAGES].sort());
  });

  it('lists the same languages in the site, the inlang project and the shared model', () => {
    const settings = JSON.parse(readFileSync(SETTINGS, 'utf8')) as { locales: string[]; baseLocale: string };
    expect([...LANGUAGES]).toEqual([...EU_LANGUAGES]);
    expect(settings.locales).toEqual([...EU_LANGUAGES]);
    expect(settings.baseLocale).toBe('en');
  });

  it('uses keys Paraglide keeps as they are (lower-case snake case)', () => {
    for (const key of Object.keys(english)) expect(key).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it.each(EU_LANGUAGES.filter((lang) => lang !== 'en'))(
    '%s has every key of English and no other',
    (lang) => {
      const messages = load(lang);
      const missing = Object.keys(english).filter((key) => !(key in messages));
      const extra = Object.keys(messages).filter((key) => !(key in english));
      expect({ lang, missing, extra }).toEqual({ lang, missing: [], extra: [] });
    },
  );

  it.each(EU_LANGUAGES.filter((lang) => lang !== 'en'))('%s is translated, not a copy of English', (lang) => {
    const messages = load(lang);
    // Some texts are legitimately the same (country names such as Malta, "25–49 %", "Format: {format}").
    const same = Object.keys(english).filter((key) => messages[key] === english[key]);
    expect(same.length, `${lang} repeats English in ${same.join(', ')}`).toBeLessThan(
      Object.keys(english).length * 0.1,
    );
  });

  it.each(EU_LANGUAGES)(
    '%s uses the same parameters as English in every message, and no empty text',
    (lang) => {
      const messages = load(lang);
      for (const [key, text] of Object.entries(english)) {
        const translated = messages[key] ?? '';
        expect(translated.trim(), `${lang}.${key} is empty`).not.toBe('');
        expect(parameters(translated), `${lang}.${key} parameters`).toEqual(parameters(text));
      }
    },
  );
});
