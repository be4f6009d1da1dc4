import { createSecretKey, type KeyObject } from 'node:crypto';
import { gcmSeal } from '@ocs/functions/crypto/aes-gcm';
import { encodeJson, statementAad } from '@ocs/functions/use-cases/personal-data';
import { MEMBER_STATE_RULES, MEMBER_STATES } from '@ocs/shared';
import type { SealedStatement, StatementSource } from '@ocs/shared/export';
import type { DataKeyStore, EncryptionContext, KeyProvider } from '@ocs/shared/ports';

/**
 * A generated source of sealed statements for the export benchmark, behind the same port as the
 * DynamoDB source. Statements are made on the fly, page by page (nothing of the whole set is held):
 * personal data as the submit path builds it (drawn from a small pool of encoded variants per
 * country, so the generator's own cost stays small), sealed with real AES-256-GCM, a unique IV
 * and the statement's AAD, under data keys that
 * rotate every `perKey` statements as the submit path's would, each key issued by the key
 * provider and recorded in the data-key store. Identifiers are scrambled and countries mixed, so
 * the export has to sort.
 */

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const word = (n: number, length: number) => {
  let s = '';
  let v = n;
  for (let i = 0; i < length; i++) {
    s += LETTERS[v % 26];
    v = Math.floor(v / 26) + i * 7;
  }
  return s;
};
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A bijection on 0..2^32-1, so identifiers look random but never collide. */
const scramble = (i: number) => {
  let x = i >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};

export function statementIdOf(i: number): string {
  const a = scramble(i).toString(16).padStart(8, '0');
  const b = i.toString(16).padStart(12, '0');
  return `${a}-0000-4000-8000-${b}`;
}

/** Word pools of prime sizes: statement `i` combines them, so values vary without building strings per statement. */
const pool = (size: number, length: number, seed: number) =>
  Array.from({ length: size }, (_, k) => cap(word(k * 7919 + seed, length)));
const FIRST = pool(997, 6, 1);
const SECOND = pool(991, 5, 2);
const FAMILY = pool(1009, 9, 3);
const STREET = pool(983, 8, 4).map((w) => `${w}straße`);
const CITY = pool(977, 7, 5);
const pick = (list: readonly string[], i: number) => list[i % list.length] as string;

/** The personal data of statement `i` of `country` (the shape `personalDataOf` produces). */
export function personalDataAt(i: number, country: (typeof MEMBER_STATES)[number]): Record<string, string> {
  const names = { firstNames: `${pick(FIRST, i)} ${pick(SECOND, i)}`, familyNames: pick(FAMILY, i) };
  const rules = MEMBER_STATE_RULES[country];
  if (rules.part === 'A') {
    return {
      ...names,
      dateOfBirth: `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      street: pick(STREET, i),
      streetNumber: String(1 + (i % 200)),
      postalCode: String(10_000 + (i % 89_999)),
      city: pick(CITY, i),
      countryOfResidence: rules.iso,
    };
  }
  const doc = rules.documents[i % rules.documents.length];
  return {
    ...names,
    documentType: doc?.type ?? 'passport',
    documentNumber: `X${String(i).padStart(9, '0')}`,
  };
}

/** Per country, a pool of encoded personal data: the generator seals, it does not build JSON per statement. */
const PLAINTEXT_VARIANTS = 509;
const plaintexts = new Map<string, Uint8Array[]>();
function plaintextOf(i: number, country: (typeof MEMBER_STATES)[number]): Uint8Array {
  let pool = plaintexts.get(country);
  if (!pool) {
    pool = Array.from({ length: PLAINTEXT_VARIANTS }, (_, k) =>
      encodeJson(personalDataAt(k * 131 + 7, country)),
    );
    plaintexts.set(country, pool);
  }
  return pool[i % PLAINTEXT_VARIANTS] as Uint8Array;
}

export interface GeneratedSourceOptions {
  readonly count: number;
  readonly perKey: number;
  readonly initiativeId: string;
  readonly context: EncryptionContext;
  readonly pageSize?: number;
  /** Submission instant of statement 0; one statement every `spacingMs` after it. */
  readonly startMs?: number;
  readonly spacingMs?: number;
}

export class GeneratedStatementSource implements StatementSource {
  private readonly keys: Array<{ ref: string; key: KeyObject }> = [];

  private constructor(private readonly options: GeneratedSourceOptions) {}

  /** Issues the data keys (one per `perKey` statements) and records them, as the submit path would. */
  static async create(
    options: GeneratedSourceOptions,
    keyProvider: KeyProvider,
    dataKeyStore: DataKeyStore,
  ): Promise<GeneratedStatementSource> {
    const source = new GeneratedStatementSource(options);
    const blocks = Math.ceil(options.count / options.perKey);
    for (let b = 0; b < blocks; b++) {
      const dataKey = await keyProvider.generateDataKey(options.context);
      const ref = `bench-key-${String(b).padStart(5, '0')}`;
      await dataKeyStore.put(
        {
          ref,
          masterKeyId: dataKey.masterKeyId,
          ciphertext: dataKey.ciphertext,
          context: options.context,
          createdAt: new Date(0).toISOString(),
        },
        2_000_000_000,
      );
      source.keys.push({ ref, key: createSecretKey(dataKey.plaintext) });
      dataKey.plaintext.fill(0);
    }
    return source;
  }

  get distinctKeys(): number {
    return this.keys.length;
  }

  /** Statement `i`, sealed. */
  statement(i: number): SealedStatement {
    const { options } = this;
    const country = MEMBER_STATES[(i * 7 + (i >> 5)) % MEMBER_STATES.length] ?? 'DE';
    const statementId = statementIdOf(i);
    const { ref, key } = this.keys[Math.floor(i / options.perKey)] ?? { ref: '', key: undefined };
    if (!key) throw new Error('no data key');
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(i, 8);
    const ciphertext = gcmSeal(
      key,
      iv,
      plaintextOf(i, country),
      statementAad(options.initiativeId, country, statementId),
    );
    return {
      statementId,
      country,
      submittedAt: new Date(
        (options.startMs ?? Date.parse('2026-11-02T06:00:00Z')) + i * (options.spacingMs ?? 25),
      ).toISOString(),
      annexRevision: 1,
      mode: 'live',
      personalData: { dataKeyRef: ref, context: options.context, iv, ciphertext },
    };
  }

  async *scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedStatement[]> {
    const pageSize = this.options.pageSize ?? 1_000;
    let page: SealedStatement[] = [];
    for (let i = segment; i < this.options.count; i += totalSegments) {
      page.push(this.statement(i));
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}
