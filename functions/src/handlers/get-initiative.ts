import { config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { getInitiative } from '../use-cases/get-initiative';
import { makeDynamoClient, makeInitiativeStore, systemClock } from '../wiring';

// Composition root (cold start): clients and adapters are built once per execution environment.
const cfg = config();
const initiatives = makeInitiativeStore(cfg, makeDynamoClient(cfg), systemClock);

/** GET /api/initiative: the initiative's public facts. */
export const handler = apiHandler('GET /api/initiative', async () =>
  json(200, await getInitiative({ initiatives, clock: systemClock }), {
    cacheControl: 'public, max-age=60',
  }),
);
