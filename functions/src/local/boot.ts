import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { LocalSecret } from '../adapters/local-secret.adapter';
import { config } from '../config/config';
import { localPaths, makeDynamoClient, makeInitiativeStore, systemClock, tableName } from '../wiring';
import { makeChallengeSecret, makeDedupSecret } from '../wiring-keys';
import { demoInitiative } from './demo-initiative';
import { createLocalServer, type LocalRoute } from './http-server';
import { createLocalOidc } from './oidc/mount';
import { TokenBucket } from './rate-limit';
import { StaticSite } from './static-files';
import { ensureTable } from './table';

export interface LocalSystem {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Prepares the local world (table, secrets, demo initiative) and serves it. Runs after the
 * environment is configured, because the handler modules read their configuration on import.
 */
export async function bootLocalSystem(options: { siteDir: string; port: number }): Promise<LocalSystem> {
  const cfg = config();
  if (cfg.runtime !== 'local') throw new Error('bootLocalSystem runs in local mode only.');
  const db = makeDynamoClient(cfg);
  const table = await ensureTable(db, tableName(cfg));

  for (const secret of [makeDedupSecret(cfg), makeChallengeSecret(cfg)]) {
    if (secret instanceof LocalSecret) secret.ensure();
  }
  const seeded = await makeInitiativeStore(cfg, db, systemClock).createIfAbsent(
    demoInitiative(cfg.initiativeId, systemClock.now()),
  );
  db.destroy();

  const [initiative, progress, challenge, submit, me] = await Promise.all([
    import('../handlers/get-initiative'),
    import('../handlers/get-progress'),
    import('../handlers/get-challenge'),
    import('../handlers/submit-statement'),
    import('../handlers/get-me'),
  ]);
  const routes: LocalRoute[] = [
    { method: 'GET', path: '/api/initiative', functionName: 'get-initiative', handler: initiative.handler },
    { method: 'GET', path: '/api/progress', functionName: 'get-progress', handler: progress.handler },
    { method: 'GET', path: '/api/challenge', functionName: 'get-challenge', handler: challenge.handler },
    { method: 'POST', path: '/api/statements', functionName: 'submit-statement', handler: submit.handler },
    { method: 'GET', path: '/api/admin/me', functionName: 'get-me', handler: me.handler },
  ];
  const rate = Number(process.env.OCS_LOCAL_RATE_LIMIT ?? 1000);
  const site = new StaticSite(options.siteDir);
  // Organiser sign-in: the OpenID provider under /oidc on this origin (issuer <origin>/oidc).
  const oidc = await createLocalOidc({ origin: `http://localhost:${options.port}`, dataDir: cfg.dataDir });
  const server = createLocalServer({ routes, site, rateLimit: new TokenBucket(rate, rate * 2), oidc });
  server.keepAliveTimeout = 5_000;
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  const paths = localPaths(cfg.dataDir);
  console.log(
    [
      '',
      '  Open ECI online collection system: LOCAL MODE',
      `  Site:     ${url}/`,
      `  Sign:     ${url}/en/sign/`,
      `  API:      ${url}/api/initiative`,
      `  DynamoDB: ${cfg.dynamoEndpoint}  (DynamoDB Local, table ${tableName(cfg)})`,
      `  Console:  ${url}/console/  (sign-in: OpenID provider ${oidc.issuer})`,
      '  Organiser account: npm run organiser -- add <email>  (prints the initial password and the',
      '            TOTP key URI for an authenticator app; also `-- list` and `-- remove <email>`)',
      `  Data:     ${cfg.dataDir}  (table ${table}, demo initiative ${seeded ? 'seeded' : 'kept'})`,
      `  WARNING:  local key provider in use (master key ${paths.masterKey}). For local use only;`,
      '            production encrypts with AWS KMS.',
      site.available ? '' : '  NOTE:     the site is not built; run `npm run build:web` (npm start does).',
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );

  return {
    url,
    close: async () => {
      server.closeIdleConnections();
      const closed = once(server, 'close');
      server.close();
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
      await closed;
    },
  };
}
