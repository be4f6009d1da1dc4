import { chooseLanguage } from '@ocs/functions/local/oidc/pages';
import { describe, expect, it } from 'vitest';

describe('sign-in page language', () => {
  it('takes the first EU language of ui_locales', () => {
    expect(chooseLanguage('ja fr-CA de', 'de')).toBe('fr');
  });

  it('else the best EU language of Accept-Language, by weight then order', () => {
    expect(chooseLanguage(undefined, 'ja, de-AT;q=0.8, pl;q=0.9')).toBe('pl');
    expect(chooseLanguage(undefined, 'ja, ga, mt')).toBe('ga');
    expect(chooseLanguage('', 'fr;q=0, it;q=0.1')).toBe('it');
  });

  it('else English', () => {
    expect(chooseLanguage(undefined, undefined)).toBe('en');
    expect(chooseLanguage(42, 'ja, zh-CN')).toBe('en');
  });
});
