import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { EU_LANGUAGES, type EuLanguage } from '@ocs/shared/initiative';
import { CONSOLE_SIGN_OUT_PATH } from '@ocs/shared/sign-in';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { PASSWORD_POLICY } from './password';

/**
 * FOR LOCAL MODE ONLY. The sign-in pages of the local OpenID provider: server-rendered HTML, no
 * script (the pages' CSP allows none), one form each. Accessible: `lang` set, every input
 * labelled, with the standard `autocomplete` tokens (`username`, `current-password`,
 * `one-time-code`, `new-password`; WCAG 1.3.5), hints tied by `aria-describedby`, an error
 * summary announced (`role="alert"`) and focused on load, fields marked `aria-invalid`, Enter
 * submits (a submit button in each form), and one column that reflows at 320 px.
 *
 * Texts come from `web/messages/sign-in/<lang>.json` (the site's inlang message format, the 24
 * official EU languages), chosen from the request's `ui_locales`, then `Accept-Language`.
 */

type MessageKey =
  | 'signin_title'
  | 'signin_intro'
  | 'signin_email'
  | 'signin_password'
  | 'signin_code'
  | 'signin_code_hint'
  | 'signin_submit'
  | 'signin_error_heading'
  | 'signin_error_invalid'
  | 'signin_error_locked'
  | 'signin_new_password_title'
  | 'signin_new_password_intro'
  | 'signin_new_password'
  | 'signin_new_password_hint'
  | 'signin_new_password_submit'
  | 'signin_error_password_length'
  | 'signin_error_unchanged'
  | 'signin_error_expired'
  | 'signin_error_generic'
  | 'signin_back_to_console'
  | 'signout_title'
  | 'signout_question'
  | 'signout_confirm'
  | 'signout_cancel'
  | 'signout_done';

type Catalogue = Readonly<Record<MessageKey, string>>;

const MESSAGES_DIR = new URL('../../../../web/messages/sign-in/', import.meta.url);

function loadCatalogues(): ReadonlyMap<EuLanguage, Catalogue> {
  const catalogues = new Map<EuLanguage, Catalogue>();
  for (const lang of EU_LANGUAGES) {
    catalogues.set(
      lang,
      JSON.parse(readFileSync(new URL(`${lang}.json`, MESSAGES_DIR), 'utf8')) as Catalogue,
    );
  }
  return catalogues;
}

/**
 * The page language: the first of `ui_locales` (space-separated, RFC 5646 tags) that is an EU
 * language, else the best of `Accept-Language` (by q, then order), else English.
 */
export function chooseLanguage(uiLocales: unknown, acceptLanguage: string | undefined): EuLanguage {
  const known = (tag: string): EuLanguage | undefined => {
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    return (EU_LANGUAGES as readonly string[]).includes(primary) ? (primary as EuLanguage) : undefined;
  };
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(' ')) {
      const lang = known(tag);
      if (lang) return lang;
    }
  }
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const lang = known(tag);
    if (lang) return lang;
  }
  return 'en';
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f5f7}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
p{margin:0 0 1rem}
form{background:#fff;border:1px solid #c9ccd1;border-radius:.5rem;padding:1.25rem 1rem}
.field{margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:0 0 .25rem}
.hint{display:block;color:#4a4f57;font-size:.9375rem;margin:0 0 .25rem}
input{display:block;width:100%;font:inherit;padding:.625rem .75rem;border:2px solid #5c6370;border-radius:.25rem;background:#fff;color:#1a1a1a}
input[aria-invalid="true"]{border-color:#b3261e}
input:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button{font:inherit;font-weight:600;padding:.625rem 1.25rem;border:0;border-radius:.25rem;background:#0b4fa8;color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#fff;color:#0b4fa8;border:2px solid #0b4fa8;margin-left:.5rem}
.error-summary{border:3px solid #b3261e;background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1.25rem}
.error-summary:focus{outline:3px solid #0b57d0;outline-offset:2px}
.error-summary h2{font-size:1.125rem;margin:0 0 .5rem;color:#8c1d18}
.error-summary p{margin:0}
a{color:#0b4fa8}
`.trim();

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** CSP of these pages: nothing but their own inline style and forms posting to this origin. */
export const SIGN_IN_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': SIGN_IN_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface FieldSpec {
  readonly id: string;
  readonly name: string;
  readonly type: 'email' | 'password' | 'text';
  readonly autocomplete: 'username' | 'current-password' | 'one-time-code' | 'new-password';
  readonly label: string;
  readonly hint?: string;
  readonly value?: string;
  readonly invalid?: boolean;
  readonly extra?: string;
}

function field(spec: FieldSpec, autofocus: boolean): string {
  const hintId = `${spec.id}-hint`;
  const described = spec.hint ? ` aria-describedby="${hintId}"` : '';
  return [
    '<div class="field">',
    `<label for="${spec.id}">${escapeHtml(spec.label)}</label>`,
    spec.hint ? `<span class="hint" id="${hintId}">${escapeHtml(spec.hint)}</span>` : '',
    `<input id="${spec.id}" name="${spec.name}" type="${spec.type}" autocomplete="${spec.autocomplete}" required`,
    spec.value ? ` value="${escapeHtml(spec.value)}"` : '',
    spec.invalid ? ' aria-invalid="true"' : '',
    described,
    spec.extra ?? '',
    autofocus ? ' autofocus' : '',
    '>',
    '</div>',
  ].join('');
}

export type LoginError = 'invalid' | 'locked';
export type NewPasswordError = 'too_short' | 'too_long' | 'unchanged';

/** Renders the provider's pages in a language. */
export class SignInPages {
  private readonly catalogues = loadCatalogues();

  language(uiLocales: unknown, acceptLanguage: string | undefined): EuLanguage {
    return chooseLanguage(uiLocales, acceptLanguage);
  }

  private t(lang: EuLanguage, key: MessageKey, params: Record<string, string | number> = {}): string {
    const text = this.catalogues.get(lang)?.[key] ?? this.catalogues.get('en')?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
  }

  private document(lang: EuLanguage, title: string, body: string, hasError: boolean): string {
    const pageTitle = hasError ? `${this.t(lang, 'signin_error_heading')}: ${title}` : title;
    return [
      '<!doctype html>',
      `<html lang="${lang}" dir="ltr">`,
      '<head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="referrer" content="no-referrer">',
      `<title>${escapeHtml(pageTitle)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      `<body><main id="main">${body}</main></body>`,
      '</html>',
    ].join('\n');
  }

  private errorSummary(lang: EuLanguage, message: string): string {
    return [
      '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>',
      `<h2 id="error-summary-title">${escapeHtml(this.t(lang, 'signin_error_heading'))}</h2>`,
      `<p>${escapeHtml(message)}</p>`,
      '</div>',
    ].join('');
  }

  private send(res: ServerResponse, status: number, html: string): void {
    const body = Buffer.from(html, 'utf8');
    res.writeHead(status, { ...PAGE_HEADERS, 'content-length': body.length });
    res.end(body);
  }

  /** E-mail, password and TOTP code, in one form. */
  login(
    res: ServerResponse,
    input: { lang: EuLanguage; action: string; email?: string; error?: LoginError },
  ): void {
    const { lang, error } = input;
    const fields: FieldSpec[] = [
      {
        id: 'email',
        name: 'email',
        type: 'email',
        autocomplete: 'username',
        label: this.t(lang, 'signin_email'),
        value: input.email,
        invalid: error === 'invalid',
        extra: ' spellcheck="false" autocapitalize="none"',
      },
      {
        id: 'password',
        name: 'password',
        type: 'password',
        autocomplete: 'current-password',
        label: this.t(lang, 'signin_password'),
        invalid: error === 'invalid',
      },
      {
        id: 'code',
        name: 'code',
        type: 'text',
        autocomplete: 'one-time-code',
        label: this.t(lang, 'signin_code'),
        hint: this.t(lang, 'signin_code_hint'),
        invalid: error === 'invalid',
        extra: ' inputmode="numeric" pattern="[0-9 ]*" maxlength="8" spellcheck="false"',
      },
    ];
    const title = this.t(lang, 'signin_title');
    const body = [
      `<h1>${escapeHtml(title)}</h1>`,
      error ? this.errorSummary(lang, this.t(lang, `signin_error_${error}`)) : '',
      `<p>${escapeHtml(this.t(lang, 'signin_intro'))}</p>`,
      `<form method="post" action="${escapeHtml(input.action)}" novalidate>`,
      ...fields.map((f, i) => field(f, !error && i === 0)),
      `<button type="submit">${escapeHtml(this.t(lang, 'signin_submit'))}</button>`,
      '</form>',
    ].join('\n');
    this.send(res, error ? (error === 'locked' ? 429 : 400) : 200, this.document(lang, title, body, !!error));
  }

  /** The new password of a first sign-in. */
  newPassword(
    res: ServerResponse,
    input: { lang: EuLanguage; action: string; error?: NewPasswordError },
  ): void {
    const { lang, error } = input;
    const title = this.t(lang, 'signin_new_password_title');
    const limits = { min: PASSWORD_POLICY.minLength, max: PASSWORD_POLICY.maxLength };
    const message =
      error === 'unchanged'
        ? this.t(lang, 'signin_error_unchanged')
        : error
          ? this.t(lang, 'signin_error_password_length', limits)
          : '';
    const body = [
      `<h1>${escapeHtml(title)}</h1>`,
      error ? this.errorSummary(lang, message) : '',
      `<p>${escapeHtml(this.t(lang, 'signin_new_password_intro'))}</p>`,
      `<form method="post" action="${escapeHtml(input.action)}" novalidate>`,
      field(
        {
          id: 'new-password',
          name: 'newPassword',
          type: 'password',
          autocomplete: 'new-password',
          label: this.t(lang, 'signin_new_password'),
          hint: this.t(lang, 'signin_new_password_hint', limits),
          invalid: !!error,
          extra: ` minlength="${limits.min}" maxlength="${limits.max}"`,
        },
        !error,
      ),
      `<button type="submit">${escapeHtml(this.t(lang, 'signin_new_password_submit'))}</button>`,
      '</form>',
    ].join('\n');
    this.send(res, error ? 400 : 200, this.document(lang, title, body, !!error));
  }

  /** A sign-in that cannot go on (expired interaction, unexpected failure): back to the console. */
  problem(
    res: ServerResponse,
    input: { lang: EuLanguage; kind: 'expired' | 'generic'; status: number },
  ): void {
    this.send(res, input.status, this.problemHtml(input.lang, input.kind));
  }

  private problemHtml(lang: EuLanguage, kind: 'expired' | 'generic'): string {
    const title = this.t(lang, 'signin_title');
    const body = [
      `<h1>${escapeHtml(title)}</h1>`,
      this.errorSummary(
        lang,
        this.t(lang, kind === 'expired' ? 'signin_error_expired' : 'signin_error_generic'),
      ),
      `<p><a href="${CONSOLE_SIGN_OUT_PATH}">${escapeHtml(this.t(lang, 'signin_back_to_console'))}</a></p>`,
    ].join('\n');
    return this.document(lang, title, body, true);
  }

  private koaLanguage(ctx: KoaContextWithOIDC): EuLanguage {
    const uiLocales = (ctx.oidc?.params as { ui_locales?: unknown } | undefined)?.ui_locales;
    return this.language(uiLocales, ctx.get('accept-language') || undefined);
  }

  private koaSend(ctx: KoaContextWithOIDC, html: string): void {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
    ctx.type = 'html';
    ctx.body = html;
  }

  /** The provider's error page (`renderError`): the OAuth error code is kept out of the text. */
  error(ctx: KoaContextWithOIDC, _out: unknown): void {
    this.koaSend(ctx, this.problemHtml(this.koaLanguage(ctx), 'generic'));
  }

  /** The sign-out confirmation (`logoutSource`); `form` is the provider's hidden form with its CSRF token. */
  logout(ctx: KoaContextWithOIDC, form: string): void {
    const lang = this.koaLanguage(ctx);
    const title = this.t(lang, 'signout_title');
    const formId = /id="([^"]+)"/.exec(form)?.[1] ?? 'op.logoutForm';
    const body = [
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(this.t(lang, 'signout_question'))}</p>`,
      form,
      `<button type="submit" form="${escapeHtml(formId)}" name="logout" value="yes" autofocus>${escapeHtml(this.t(lang, 'signout_confirm'))}</button>`,
      `<button type="submit" form="${escapeHtml(formId)}" class="secondary">${escapeHtml(this.t(lang, 'signout_cancel'))}</button>`,
    ].join('\n');
    this.koaSend(ctx, this.document(lang, title, body, false));
  }

  /** After a sign-out without a redirect back to the console. */
  loggedOut(ctx: KoaContextWithOIDC): void {
    const lang = this.koaLanguage(ctx);
    const title = this.t(lang, 'signout_title');
    const body = [
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(this.t(lang, 'signout_done'))}</p>`,
      `<p><a href="${CONSOLE_SIGN_OUT_PATH}">${escapeHtml(this.t(lang, 'signin_back_to_console'))}</a></p>`,
    ].join('\n');
    this.koaSend(ctx, this.document(lang, title, body, false));
  }
}
