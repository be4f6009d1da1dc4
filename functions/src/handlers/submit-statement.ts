import {
  AltchaChallengeService,
  altchaSecretsFrom,
  CHALLENGE_DIFFICULTY,
} from '../adapters/altcha-challenge.adapter';
import { DynamoChallengeReplayStore } from '../adapters/dynamo-challenge-replay.adapter';
import { DynamoDataKeyStore } from '../adapters/dynamo-data-key-store.adapter';
import { DynamoStatementStore } from '../adapters/dynamo-statement-store.adapter';
import { config } from '../config/config';
import { ENCRYPTION_CONTEXT } from '../config/env-names';
import { DedupHasher } from '../crypto/dedup-hasher';
import { apiHandler } from '../http/api-handler';
import { logger } from '../http/logger';
import { json } from '../http/responses';
import { IntakeTally } from '../use-cases/intake-tally';
import { SubmitStatement } from '../use-cases/submit-statement';
import { lazy, makeDynamoClient, makeInitiativeStore, newId, systemClock, tableName } from '../wiring';
import { makeChallengeSecret, makeDedupSecret, makeKeyProvider, makeSealer } from '../wiring-keys';

// Composition root (cold start). The key provider is only ever asked for new data keys here:
// this function can encrypt statements, never decrypt what is stored.
const cfg = config();
const db = makeDynamoClient(cfg);
const keyProvider = makeKeyProvider(cfg);
const table = tableName(cfg);
const dataKeys = new DynamoDataKeyStore(db, table);
const dedupSecret = makeDedupSecret(cfg);
const challengeSecret = makeChallengeSecret(cfg);
const deps = {
  initiativeId: cfg.initiativeId,
  initiatives: makeInitiativeStore(cfg, db, systemClock),
  replay: new DynamoChallengeReplayStore(db, table),
  statementSealer: makeSealer(cfg, keyProvider, dataKeys, ENCRYPTION_CONTEXT.statementPurpose, systemClock),
  emailSealer: makeSealer(cfg, keyProvider, dataKeys, ENCRYPTION_CONTEXT.emailPurpose, systemClock),
  statements: new DynamoStatementStore(db, table, { shards: cfg.counterShards }),
  clock: systemClock,
  newId,
  // Duplicates are counted only in aggregate, never in a request's own log line.
  tally: new IntakeTally({ emit: (counts) => logger.info('statement intake', { ...counts }) }),
};

// Secrets are decrypted once per cold start, on first use; a failure is retried next time (503).
const submitStatement = lazy(async () => {
  const [dedup, challenge] = await Promise.all([dedupSecret.load(), challengeSecret.load()]);
  return new SubmitStatement({
    ...deps,
    hasher: new DedupHasher(dedup),
    challenges: new AltchaChallengeService(
      altchaSecretsFrom(challenge),
      CHALLENGE_DIFFICULTY[cfg.challengeCost],
      systemClock,
    ),
  });
});

/** POST /api/statements: validate, verify, deduplicate, encrypt, store and count. */
export const handler = apiHandler(
  'POST /api/statements',
  async (event) => {
    const result = await (await submitStatement()).execute(event.jsonBody);
    return json(result.outcome === 'created' ? 201 : 200, {
      receipt: result.receipt,
      submittedAt: result.submittedAt,
    });
  },
  { jsonBody: true },
);
