import { describe, expect, it } from 'vitest';
import {
  ConsoleConfigError,
  cognitoAuthorizationServer,
  LOCAL_CONFIG,
  loadConsoleConfig,
  parseConsoleConfig,
} from '../../../../web/src/lib/console/config.ts';

/** The console's run-time configuration (`/console/config.json`). */

describe('parseConsoleConfig', () => {
  it('resolves a local issuer path against the page origin', () => {
    expect(parseConsoleConfig(LOCAL_CONFIG, 'http://localhost:8212')).toEqual({
      issuer: 'http://localhost:8212/oidc',
      clientId: 'ocs-console',
      scope: 'openid email ocs/admin',
      provider: 'oidc',
    });
  });

  it('drops a trailing slash (the issuer must equal the tokens` iss)', () => {
    expect(
      parseConsoleConfig({ issuer: 'https://id.example.org/realm/', clientId: 'c' }, 'https://x.org').issuer,
    ).toBe('https://id.example.org/realm');
  });

  it('refuses plain http except on localhost', () => {
    expect(() => parseConsoleConfig({ issuer: '/oidc', clientId: 'c' }, 'http://eci.example.org')).toThrow(
      ConsoleConfigError,
    );
    expect(parseConsoleConfig({ issuer: '/oidc', clientId: 'c' }, 'http://127.0.0.1:8080').issuer).toBe(
      'http://127.0.0.1:8080/oidc',
    );
  });

  it('refuses a file that is not the configuration', () => {
    for (const raw of [
      null,
      {},
      { issuer: '/oidc' },
      { issuer: '/oidc', clientId: 'c', extra: 1 },
      { issuer: '', clientId: 'c' },
    ]) {
      expect(() => parseConsoleConfig(raw, 'http://localhost:1')).toThrow(ConsoleConfigError);
    }
  });

  it('needs the sign-in domain for Cognito, over https', () => {
    const base = {
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
      clientId: 'c',
      provider: 'cognito',
    };
    expect(() => parseConsoleConfig(base, 'https://eci.example.org')).toThrow(ConsoleConfigError);
    expect(() =>
      parseConsoleConfig(
        { ...base, authOrigin: 'http://ocs.auth.eu-central-1.amazoncognito.com' },
        'https://eci.example.org',
      ),
    ).toThrow(ConsoleConfigError);
    const config = parseConsoleConfig(
      { ...base, authOrigin: 'https://ocs.auth.eu-central-1.amazoncognito.com/' },
      'https://eci.example.org',
    );
    expect(config.authOrigin).toBe('https://ocs.auth.eu-central-1.amazoncognito.com');
    expect(cognitoAuthorizationServer(config)).toMatchObject({
      issuer: base.issuer,
      authorization_endpoint: 'https://ocs.auth.eu-central-1.amazoncognito.com/oauth2/authorize',
      token_endpoint: 'https://ocs.auth.eu-central-1.amazoncognito.com/oauth2/token',
      end_session_endpoint: 'https://ocs.auth.eu-central-1.amazoncognito.com/logout',
    });
  });
});

describe('loadConsoleConfig', () => {
  it('reads /console/config.json', async () => {
    const paths: string[] = [];
    const config = await loadConsoleConfig(async (input) => {
      paths.push(String(input));
      return new Response(JSON.stringify(LOCAL_CONFIG));
    }, 'http://localhost:9');
    expect(paths).toEqual(['/console/config.json']);
    expect(config.issuer).toBe('http://localhost:9/oidc');
  });

  it('fails clearly when the file is missing', async () => {
    await expect(
      loadConsoleConfig(async () => new Response('no', { status: 404 }), 'http://localhost:9'),
    ).rejects.toThrow(ConsoleConfigError);
  });
});
