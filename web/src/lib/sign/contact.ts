import type { FormValues } from './form-values.ts';

/**
 * The optional e-mail for updates, as the request body carries it: only when the citizen typed an
 * address or ticked its consent box (the rulebook then asks for the other half); an untouched
 * contact section sends nothing. Apart from `form.ts`, which needs the translated messages.
 */
export function contactFields(
  values: Pick<FormValues, 'email' | 'emailConsent'>,
): { email: string; emailConsent: boolean } | Record<string, never> {
  return values.email.trim() !== '' || values.emailConsent
    ? { email: values.email, emailConsent: values.emailConsent }
    : {};
}
