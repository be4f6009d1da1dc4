import { DynamoProgressStore } from '../adapters/dynamo-progress-store.adapter';
import { config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { getProgress } from '../use-cases/get-progress';
import { makeDynamoClient, makeInitiativeStore, systemClock, tableName } from '../wiring';

const cfg = config();
const db = makeDynamoClient(cfg);
const initiatives = makeInitiativeStore(cfg, db, systemClock);
const progress = new DynamoProgressStore(db, tableName(cfg), cfg.counterShards);

/** GET /api/progress: counts per Member State against the Annex I thresholds. */
export const handler = apiHandler('GET /api/progress', async () =>
  json(200, await getProgress({ initiatives, progress, clock: systemClock }), {
    // Short enough that a citizen sees their statement counted soon; the CDN absorbs surges.
    cacheControl: 'public, max-age=5, s-maxage=30, stale-while-revalidate=30',
  }),
);
