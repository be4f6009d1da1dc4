import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The site's message texts, so assertions follow the translations instead of repeating them. */
export function messages(lang: string): Record<string, string> {
  return JSON.parse(readFileSync(join(import.meta.dirname, `../../web/messages/${lang}.json`), 'utf8'));
}

/** A message with its `{parameters}` filled in. */
export function format(text: string | undefined, values: Record<string, string>): string {
  return (text ?? '').replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}
