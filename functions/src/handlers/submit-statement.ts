import type { StatementReceipt } from '@ocs/shared/contract/citizen-api';
import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import type {
  ChallengeReplayStore,
  ChallengeService,
  Clock,
  DataKeyStore,
  InitiativeStore,
  KeyProvider,
  StatementStore,
} from '@ocs/shared/ports';
import { DynamoChallengeReplayStore } from '../adapters/dynamo-challenge-replay.adapter';
import { DynamoDataKeyStore } from '../adapters/dynamo-data-key-store.adapter';
import { DynamoStatementStore } from '../adapters/dynamo-statement-store.adapter';
import { type Config, config } from '../config/config';
import { ENCRYPTION_CONTEXT } from '../config/env-names';
import { DedupHasher } from '../crypto/dedup-hasher';
import { apiHandler } from '../http/api-handler';
import { logger } from '../http/logger';
import { json } from '../http/responses';
import { IntakeTally } from '../use-cases/intake-tally';
import type { LatencyPadding } from '../use-cases/latency-padding';
import { SubmitStatement } from '../use-cases/submit-statement';
import {
  lazy,
  makeDynamoClient,
  makeInitiativeStore,
  newId,
  onFirstInvocation,
  systemClock,
  tableName,
} from '../wiring';
import { makeChallengeService, makeDedupSecret, makeKeyProvider, makeSealer } from '../wiring-keys';

/** The parts that hold a secret: loaded on the first request, once per cold start. */
export interface SubmitStatementSecrets {
  /** The deduplication HMAC secret's bytes. */
  readonly dedupSecret: Uint8Array;
  readonly challenges: ChallengeService;
}

/** What POST /api/statements is built from. */
export interface SubmitStatementPorts {
  readonly initiativeId: string;
  readonly initiatives: InitiativeStore;
  readonly replay: ChallengeReplayStore;
  readonly statements: StatementStore;
  readonly dataKeys: DataKeyStore;
  /** Only ever asked for new data keys here: this path can encrypt statements, never decrypt them. */
  readonly keyProvider: KeyProvider;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Called on the first request and, after a failure (503), on the next one. */
  readonly secrets: () => Promise<SubmitStatementSecrets>;
  /** The duplicate path's latency padding; the use case's default when absent. */
  readonly padding?: LatencyPadding;
  /** Counts duplicates in aggregate only, never in a request's own log line. */
  readonly tally?: IntakeTally;
}

/**
 * The submit use case over its ports: the real DedupHasher and two envelope sealers, one per
 * purpose (statement, e-mail), over the one key provider.
 */
export async function buildSubmitStatement(ports: SubmitStatementPorts): Promise<SubmitStatement> {
  const { initiativeId, keyProvider, dataKeys, clock } = ports;
  const { dedupSecret, challenges } = await ports.secrets();
  return new SubmitStatement({
    initiativeId,
    initiatives: ports.initiatives,
    challenges,
    replay: ports.replay,
    hasher: new DedupHasher(dedupSecret),
    statementSealer: makeSealer(
      { initiativeId },
      keyProvider,
      dataKeys,
      ENCRYPTION_CONTEXT.statementPurpose,
      clock,
    ),
    emailSealer: makeSealer({ initiativeId }, keyProvider, dataKeys, ENCRYPTION_CONTEXT.emailPurpose, clock),
    statements: ports.statements,
    clock,
    newId: ports.newId,
    ...(ports.padding ? { padding: ports.padding } : {}),
    ...(ports.tally ? { tally: ports.tally } : {}),
  });
}

/** POST /api/statements: validate, verify, deduplicate, encrypt, store and count. */
export function createSubmitStatementHandler(ports: SubmitStatementPorts) {
  // Built on the first request (it needs the secrets); a failure is retried next time (503).
  const submitStatement = lazy(() => buildSubmitStatement(ports));
  return apiHandler(
    routeKey(routeOf('submitStatement')),
    async (event) => {
      const result = await (await submitStatement()).execute(event.jsonBody);
      const receipt: StatementReceipt = { receipt: result.receipt, submittedAt: result.submittedAt };
      return json(result.outcome === 'created' ? 201 : 200, receipt);
    },
    { jsonBody: true },
  );
}

/** The ports over the adapters `config` selects (AWS or local). */
export function submitStatementPorts(cfg: Config): SubmitStatementPorts {
  const db = makeDynamoClient(cfg);
  const table = tableName(cfg);
  const dedupSecret = makeDedupSecret(cfg);
  const challenges = makeChallengeService(cfg, systemClock);
  return {
    initiativeId: cfg.initiativeId,
    initiatives: makeInitiativeStore(cfg, db, systemClock),
    replay: new DynamoChallengeReplayStore(db, table),
    statements: new DynamoStatementStore(db, table, { shards: cfg.counterShards }),
    dataKeys: new DynamoDataKeyStore(db, table),
    keyProvider: makeKeyProvider(cfg),
    clock: systemClock,
    newId,
    tally: new IntakeTally({ emit: (counts) => logger.info('statement intake', { ...counts }) }),
    secrets: async () => {
      const [dedup, challengeService] = await Promise.all([dedupSecret.load(), challenges()]);
      return { dedupSecret: dedup, challenges: challengeService };
    },
  };
}

/** The handler over the adapters `config` selects; built once per cold start. */
export function fromConfig(cfg: Config) {
  return createSubmitStatementHandler(submitStatementPorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
