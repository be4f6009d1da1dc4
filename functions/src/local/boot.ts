import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { handlerModule, ROUTES } from '@ocs/shared/contract/routes';
import { localKeyDestroyedAt } from '../adapters/local-key-provider.adapter';
import { LocalSecret } from '../adapters/local-secret.adapter';
import type { Config } from '../config/config';
import { localPaths, makeDynamoClient, makeInitiativeStore, systemClock, tableName } from '../wiring';
import { makeLocalDownloadLinks } from '../wiring-exports';
import { makeChallengeSecret, makeDedupSecret } from '../wiring-keys';
import type { RouteHandlerModule } from './api-gateway';
import { demoInitiative } from './demo-initiative';
import { createLocalServer, type LocalRoute } from './http-server';
import { migrateLocalSecrets } from './local-keys';
import { createLocalOidc } from './oidc/mount';
import { TokenBucket } from './rate-limit';
import { scheduleRetention } from './retention-schedule';
import { StaticSite } from './static-files';
import { ensureTable } from './table';

export interface LocalSystem {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The route table of the contract, each route served by its real handler module, composed with
 * the local adapters `cfg` selects (as the Lambda entry composes it with the AWS ones).
 */
export async function localRoutes(cfg: Config): Promise<LocalRoute[]> {
  return Promise.all(
    ROUTES.map(async (route) => {
      const name = handlerModule(route.handler);
      const module = (await import(`../handlers/${name}.ts`)) as RouteHandlerModule;
      return {
        method: route.method,
        path: route.path,
        access: route.access,
        functionName: name,
        handler: module.fromConfig(cfg),
      };
    }),
  );
}

/** Prepares the local world (table, secrets, demo initiative) and serves it. */
export async function bootLocalSystem(
  cfg: Config,
  options: { siteDir: string; port: number; rateLimit: number },
): Promise<LocalSystem> {
  if (cfg.runtime !== 'local') throw new Error('bootLocalSystem runs in local mode only.');
  const db = makeDynamoClient(cfg);
  const table = await ensureTable(db, tableName(cfg));

  // Secrets under the secrets key (an earlier version's data directory moves them there first).
  migrateLocalSecrets(cfg.dataDir);
  for (const secret of [makeDedupSecret(cfg), makeChallengeSecret(cfg)]) {
    if (secret instanceof LocalSecret) secret.ensure();
  }
  const seeded = await makeInitiativeStore(cfg, db, systemClock).createIfAbsent(
    demoInitiative(cfg.initiativeId, systemClock.now()),
  );
  db.destroy();

  const routes = await localRoutes(cfg);
  const rate = options.rateLimit;
  const site = new StaticSite(options.siteDir);
  // Organiser sign-in: the OpenID provider under /oidc on this origin (issuer <origin>/oidc).
  const oidc = await createLocalOidc({ origin: `http://localhost:${options.port}`, dataDir: cfg.dataDir });
  // The single-use links the download route issues (same directories, same origin).
  const downloads = makeLocalDownloadLinks(cfg);
  const server = createLocalServer({
    routes,
    site,
    rateLimit: new TokenBucket(rate, rate * 2),
    oidc,
    downloads,
  });
  server.keepAliveTimeout = 5_000;
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  const paths = localPaths(cfg.dataDir);
  const keyDestroyedAt = localKeyDestroyedAt(paths.masterKey);
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
      '  Retention: the destruction job runs now and every 24 h; `npm run retention` runs it once.',
      ...(keyDestroyedAt
        ? [
            `  NOTE:     the collection data were destroyed and the statement key with them (${keyDestroyedAt}):`,
            '            statements can no longer be stored or read (503). The counts, the audit trail and the',
            '            console remain. A new initiative needs a new OCS_DATA_DIR.',
          ]
        : []),
      site.available ? '' : '  NOTE:     the site is not built; run `npm run build:web` (npm start does).',
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );

  // After the banner, so its lines follow it; the server does not wait for it.
  const retention = scheduleRetention(cfg);

  return {
    url,
    close: async () => {
      retention.stop();
      server.closeIdleConnections();
      const closed = once(server, 'close');
      server.close();
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
      await closed;
    },
  };
}
