import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The site's message texts (both projects), so assertions follow the translations. */
export function messages(lang: string): Record<string, string> {
  const read = (path: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '../../web', path), 'utf8'));
  return { ...read(`messages/${lang}.json`), ...read(`messages/legal/${lang}.json`) };
}

/** A message with its `{parameters}` filled in. */
export function format(text: string | undefined, values: Record<string, string>): string {
  return (text ?? '').replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}
