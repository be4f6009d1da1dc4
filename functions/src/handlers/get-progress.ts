import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import type { Clock, InitiativeStore, ProgressStore } from '@ocs/shared/ports';
import { DynamoProgressStore } from '../adapters/dynamo-progress-store.adapter';
import { type Config, config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { getProgress } from '../use-cases/get-progress';
import { makeDynamoClient, makeInitiativeStore, onFirstInvocation, systemClock, tableName } from '../wiring';

/** What GET /api/progress needs. */
export interface GetProgressPorts {
  readonly initiatives: InitiativeStore;
  readonly progress: ProgressStore;
  readonly clock: Clock;
}

/** GET /api/progress: counts per Member State against the Annex I thresholds. */
export function createGetProgressHandler(ports: GetProgressPorts) {
  return apiHandler(routeKey(routeOf('getProgress')), async () =>
    json(200, await getProgress(ports), {
      // Short enough that a citizen sees their statement counted soon; the CDN absorbs surges.
      cacheControl: 'public, max-age=5, s-maxage=30, stale-while-revalidate=30',
    }),
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createGetProgressHandler({
    initiatives: makeInitiativeStore(cfg, db, systemClock),
    progress: new DynamoProgressStore(db, tableName(cfg), cfg.counterShards),
    clock: systemClock,
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
