import type { FormField } from '@ocs/shared/validation/form';
import type { FormValues } from '../form-values.ts';

/** What every field component gets: its metadata, the entry it edits, its label and its error. */
export interface FieldProps<K extends keyof FormValues> {
  readonly field: FormField;
  readonly name: K;
  readonly values: FormValues;
  readonly label: string;
  readonly error: string | undefined;
}

/** `aria-describedby` of a field: its hint (when shown) and its error (when shown). */
export function describedBy(name: string, hint: unknown, error: string | undefined): string | undefined {
  return [hint ? `h-${name}` : '', error ? `e-${name}` : ''].filter(Boolean).join(' ') || undefined;
}
