import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from './clock.js';
import { checkEncryptionKeys } from './crypto/key-check.js';
import {
  createFieldCipher,
  ENCRYPTION_KEY_ENV,
  type FieldCipher,
  generateEncryptionKey,
  parseEncryptionKey,
  parseEncryptionKeyList,
  PREVIOUS_ENCRYPTION_KEYS_ENV,
} from './crypto/field-cipher.js';
import { ReferralServerError } from './errors.js';
import { createApp } from './http/create-app.js';
import { limitPerClient } from './http/client-identity.js';
import { mountHealthRoutes } from './http/health.js';
import { HttpProblem, problemResponse } from './http/http-problem.js';
import { mountStaticFolder } from './http/static-files.js';
import type { RateLimitCeiling, RateLimitSettings, ResolvedRateLimits, RequestLogEntry, ServerContext } from './http/server-context.js';
import { purgeIdempotencyKeys } from './idempotency/idempotency-store.js';
import { trustedProxies } from './rate-limit/client-address.js';
import { purgeRateLimitBuckets, type RateLimitRule } from './rate-limit/rate-limiter.js';
import { buildOpenApiDocument } from '@tahaffuz/referral-contract';
import { adminHandlers } from './routes/admin.js';
import { caseHandlers } from './routes/cases.js';
import { directoryHandlers } from './routes/directory.js';
import { eventHandlers } from './routes/events.js';
import { referralHandlers } from './routes/referrals.js';
import { reportHandlers } from './routes/reports.js';
import { statsHandlers } from './routes/stats.js';
import { webhookHandlers } from './routes/webhooks.js';
import { WebhookDispatcher, type WebhookSettings } from './webhooks/dispatcher.js';
import { replayErasureJournal } from './domain/erasure.js';
import { defaultErasureJournalDirectory, type ErasureJournal, openErasureJournal } from './domain/erasure-journal.js';
import { pauseRefusedSubscriptions } from './webhooks/pause-subscription.js';
import { WebhookTargetPolicy, type WebhookTargetSettings } from './webhooks/target-policy.js';
import { applyRetention, type RetentionSettings } from './domain/retention.js';
import { runDataMigrations } from './storage/data-migrations.js';
import { createGroupCommitter } from './storage/group-commit.js';
import { checkpointSqliteWal, type DatabaseConfig, type OpenDatabase, openDatabase, sqliteFileOf } from './storage/open-database.js';
import type { Database } from './storage/schema.js';
import { lowerCaseReportIds } from './storage/lower-case-report-ids.js';

/** Options of {@link startReferralServer}. */
export interface ReferralServerOptions {
  /** Where the data lives: `{ sqlite: path }`, `{ postgres: url }`, or a path / `postgres://` URL. */
  readonly database: DatabaseConfig;
  /** TCP port; 0 picks a free one. @default 8787 */
  readonly port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Base64 of 32 bytes that encrypts narratives and reporter contact. @default process.env.TAHAFFUZ_ENCRYPTION_KEY */
  readonly encryptionKey?: string;
  /**
   * Earlier keys (base64), which only decrypt, while `tahaffuz-server encryption rotate` rewrites
   * what they encrypted. @default process.env.TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS, comma-separated
   */
  readonly previousEncryptionKeys?: readonly string[];
  /**
   * Demo mode: without an encryption key, one is generated and kept in the database itself (fine
   * for demo data, never for real reports). @default false
   */
  readonly demo?: boolean;
  /** A folder served at `/` (the demo's partner site). */
  readonly static?: string;
  /**
   * Limits per client address, per secret key, and per publishable key and client address, in sliding
   * windows; or `false` for none. See {@link RateLimitSettings} for each default.
   */
  readonly rateLimit?: RateLimitSettings | false;
  /** Largest request body in bytes (413 above). @default 262144 */
  readonly maxBodyBytes?: number;
  /** How long an unfinished request holds its Idempotency-Key before a retry may take over. @default 30000 */
  readonly idempotencyLeaseMs?: number;
  /**
   * Your own proxies (addresses or CIDR ranges, e.g. `['10.0.0.0/8']`): for a request whose peer is
   * one of them, the client address is the rightmost `X-Forwarded-For` hop that is not one of them.
   * Without it `X-Forwarded-For` is ignored. @default [] (none)
   */
  readonly trustProxy?: readonly string[];
  /** Receives one entry per request (ids, route, status, timing); `false` for none. @default JSON lines on stdout */
  readonly log?: ((entry: RequestLogEntry) => void) | false;
  /** The clock (tests move it). @default Date.now */
  readonly clock?: Clock;
  /** Webhook delivery from the outbox, or `false` to leave it to another process. @default {} */
  readonly webhooks?: WebhookSettings | false;
  /**
   * Where webhook subscriptions may point: public addresses only (after DNS resolution, checked at
   * subscription, at start-up and before every delivery), https for live ones. `allow` lists the
   * private ranges a development or test set-up may reach, e.g. `['127.0.0.0/8', '::1']` for
   * receivers on this machine. @default { allow: [] }
   */
  readonly webhookTargets?: WebhookTargetSettings;
  /**
   * Webhook subscriptions one organisation may have in one mode (`POST /v1/webhooks` answers 422
   * `webhook-subscription-limit` beyond): each is delivered to, so the cap bounds one organisation's
   * share of delivery. @default 20
   */
  readonly maxWebhookSubscriptions?: number;
  /** Hotspot counts below this are suppressed. @default 5 */
  readonly hotspotThreshold?: number;
  /** Anonymise closed cases (and their reports) this long after closing; checked hourly. @default undefined (kept) */
  readonly retention?: RetentionSettings;
  /**
   * Folder of the erasure journal, replayed at every start so that a database restored from a
   * backup taken before an erasure is erased again (docs/decisions/0018-erasure-and-restore.md);
   * keep it out of the database's backups. `false` for none.
   * @default `<file>.erasures` beside an SQLite file; none on PostgreSQL (set one: the README says where)
   */
  readonly erasureJournal?: string | false;
}

/*
 * In demo mode the encryption key sits in the database, so a keyed hash of a client address made
 * with it could be reversed from a copy of the file by trying every address. Rate-limit buckets
 * live for one window only: hash with a key that lives in this process's memory alone.
 */
function withEphemeralHashKey(cipher: FieldCipher): FieldCipher {
  const hashKey = randomBytes(32);
  return {
    ...cipher,
    keyedHash: (value, purpose) => createHmac('sha256', hashKey).update(`${purpose}\u0000${value}`).digest('base64url'),
  };
}

/** A running server. */
export interface ReferralServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The open database (for the CLI and tests). */
  readonly database: OpenDatabase;
  /** Stops accepting requests, ends open connections and closes the database. */
  close(): Promise<void>;
}

const DEMO_KEY = 'demo_encryption_key';

async function setting(db: Kysely<Database>, name: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

async function putSettingOnce(db: Kysely<Database>, name: string, value: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await setting(db, name)) ?? value;
}

/**
 * The cipher for this database: the configured key (or in demo mode a key kept in the database)
 * and the previous keys. Refused at start, not at the first read: keys that do not open this
 * database, and a configuration without a key that stored values may still be encrypted with.
 */
async function resolveCipher(
  db: Kysely<Database>,
  options: { encryptionKey?: string | undefined; previousEncryptionKeys?: readonly string[] | undefined; demo?: boolean | undefined },
): Promise<FieldCipher> {
  let base64 = options.encryptionKey ?? process.env[ENCRYPTION_KEY_ENV];
  if (base64 === undefined || base64 === '') {
    if (options.demo !== true) {
      throw new ReferralServerError(
        'missing_encryption_key',
        `Set ${ENCRYPTION_KEY_ENV} to 32 random bytes in base64 (node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"), or start with --demo for demo data only.`,
      );
    }
    base64 = await putSettingOnce(db, DEMO_KEY, generateEncryptionKey());
  }
  const previous =
    options.previousEncryptionKeys === undefined
      ? parseEncryptionKeyList(process.env[PREVIOUS_ENCRYPTION_KEYS_ENV] ?? '')
      : options.previousEncryptionKeys.map((key, index) => parseEncryptionKey(key, `previousEncryptionKeys[${index}]`));
  const cipher = createFieldCipher(parseEncryptionKey(base64), previous);
  await checkEncryptionKeys(db, cipher, { requireAllInUse: true });
  return cipher;
}

function checkedRule<R extends RateLimitRule>(name: string, rule: R): R {
  if (!(Number.isInteger(rule.limit) && rule.limit >= 1) || !(Number.isInteger(rule.windowMs) && rule.windowMs >= 1000)) {
    throw new ReferralServerError(
      'invalid_argument',
      `rateLimit.${name} needs a whole limit of at least 1 and a whole windowMs of at least 1000, not ${JSON.stringify(rule)}.`,
    );
  }
  return rule;
}

function checkedCeiling(ceiling: RateLimitCeiling): RateLimitCeiling {
  checkedRule('publishableCeiling', ceiling);
  if (!(Number.isInteger(ceiling.clientAllowance) && ceiling.clientAllowance >= 1)) {
    throw new ReferralServerError('invalid_argument', 'rateLimit.publishableCeiling.clientAllowance must be a whole number of at least 1.');
  }
  return ceiling;
}

function defaultLog(entry: RequestLogEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

function defaultReportError(requestId: string, error: unknown): void {
  // Names and codes only: messages of storage errors can quote values.
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  process.stderr.write(`[tahaffuz-server] request ${requestId} failed: ${name}${typeof code === 'string' ? ` (${code})` : ''}\n`);
  if (process.env['TAHAFFUZ_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
}

/**
 * Starts the reference referral server: opens and migrates the database, then serves the API.
 *
 * @example
 * ```ts
 * import { startReferralServer } from '@tahaffuz/referral-server';
 *
 * const server = await startReferralServer({
 *   port: 8787,
 *   database: { sqlite: './data/tahaffuz.db' },
 *   encryptionKey: process.env.TAHAFFUZ_ENCRYPTION_KEY,
 * });
 * console.log(`referral API on ${server.url}`);
 * // later: await server.close();
 * ```
 */
export async function startReferralServer(options: ReferralServerOptions): Promise<ReferralServer> {
  const trustProxy: unknown = options.trustProxy;
  if (trustProxy !== undefined && !(Array.isArray(trustProxy) && trustProxy.every((entry) => typeof entry === 'string'))) {
    throw new ReferralServerError(
      'invalid_argument',
      'trustProxy lists the addresses or CIDR ranges of your own proxies (e.g. ["10.0.0.7"]); true or false is no longer accepted, since trusting any sender of X-Forwarded-For lets clients choose their address.',
    );
  }
  const proxies = trustedProxies(options.trustProxy ?? []);
  const rateLimit: ResolvedRateLimits | false =
    options.rateLimit === false
      ? false
      : {
          perKey: checkedRule('perKey', options.rateLimit?.perKey ?? { limit: 1200, windowMs: 60_000 }),
          perClient: checkedRule('perClient', options.rateLimit?.perClient ?? { limit: 600, windowMs: 60_000 }),
          perPublishableClient: checkedRule(
            'perPublishableClient',
            options.rateLimit?.perPublishableClient ?? { limit: 30, windowMs: 60_000 },
          ),
          publishableCeiling: checkedCeiling(
            options.rateLimit?.publishableCeiling ?? { limit: 1200, windowMs: 60_000, clientAllowance: 3 },
          ),
        };
  const webhookTargets = new WebhookTargetPolicy(options.webhookTargets);
  const maxWebhookSubscriptions = options.maxWebhookSubscriptions ?? 20;
  if (!(Number.isInteger(maxWebhookSubscriptions) && maxWebhookSubscriptions >= 1)) {
    throw new ReferralServerError(
      'invalid_argument',
      `maxWebhookSubscriptions must be a whole number of at least 1, not ${maxWebhookSubscriptions}.`,
    );
  }
  const database = await openDatabase(options.database);
  let cipher: FieldCipher;
  try {
    cipher = await resolveCipher(database.db, {
      encryptionKey: options.encryptionKey,
      previousEncryptionKeys: options.previousEncryptionKeys,
      demo: options.demo,
    });
    const ids = await lowerCaseReportIds(database.db, cipher);
    if (!ids.earlier) {
      for (const pair of ids.pairs) {
        process.stderr.write(
          `[tahaffuz-server] reports ${pair.mixedCase} and ${pair.lowerCase} differ only by the case of their id: both were kept, the first is reachable by listing only; decide which to erase (docs/decisions/0020-hardening.md).\n`,
        );
      }
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const sqliteFile = sqliteFileOf(database.db);
  // A checkpoint that a transaction or another process's reader held up is tried again shortly.
  const checkpointWal =
    sqliteFile === undefined
      ? undefined
      : (attempt = 0): void => {
          if (sqliteFile.open && !checkpointSqliteWal(sqliteFile) && attempt < 20) {
            setTimeout(() => checkpointWal?.(attempt + 1), 50).unref();
          }
        };
  let erasureJournal: ErasureJournal | undefined;
  try {
    const ran = await runDataMigrations(database.db, cipher, new Date(clock()).toISOString());
    const journalDirectory =
      options.erasureJournal === false ? undefined : (options.erasureJournal ?? defaultErasureJournalDirectory(options.database));
    erasureJournal = journalDirectory === undefined ? undefined : openErasureJournal(journalDirectory);
    // Before the first request: what a restored backup brought back is erased again.
    const replayed = erasureJournal === undefined ? 0 : await replayErasureJournal(database.db, erasureJournal, clock());
    // Values rewritten (plaintext sealed, content erased) leave the write-ahead log now, not at some later checkpoint.
    if (ran.length > 0 || replayed > 0) checkpointWal?.();
  } catch (error) {
    await database.close();
    throw error;
  }
  const demoKeyInDatabase = options.demo === true && (options.encryptionKey ?? process.env[ENCRYPTION_KEY_ENV] ?? '') === '';
  if (demoKeyInDatabase) cipher = withEphemeralHashKey(cipher);
  const ctx: ServerContext = {
    db: database.db,
    dialect: database.dialect,
    groupCommit:
      sqliteFile === undefined ? undefined : createGroupCommitter(database.db, { inTransaction: () => sqliteFile.inTransaction }),
    cipher,
    clock,
    leaseMs: options.idempotencyLeaseMs ?? 30_000,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    rateLimit,
    trustedProxies: proxies,
    log: options.log === false ? () => undefined : (options.log ?? defaultLog),
    reportError: defaultReportError,
    demo: options.demo ?? false,
    erasureJournal,
    checkpointWal,
    webhookTargets,
    maxWebhookSubscriptions,
  };
  let dispatcher: WebhookDispatcher | undefined;
  try {
    dispatcher =
      options.webhooks === false
        ? undefined
        : new WebhookDispatcher({ db: ctx.db, dialect: ctx.dialect, cipher, clock, policy: webhookTargets, settings: options.webhooks });
    // Subscriptions stored before the target rule (or under another allow-list) that break it.
    await pauseRefusedSubscriptions(ctx.db, ctx.dialect, webhookTargets, clock());
  } catch (error) {
    await database.close();
    throw error;
  }

  const app = createApp(ctx, {
    handlers: {
      ...reportHandlers,
      ...caseHandlers,
      ...referralHandlers,
      ...eventHandlers,
      ...directoryHandlers,
      ...adminHandlers,
      ...webhookHandlers,
      ...statsHandlers(options.hotspotThreshold),
    },
    extraRoutes: (routes) => {
      mountHealthRoutes(routes, ctx);
      let openapi: string | undefined;
      routes.get('/openapi.json', async (c) => {
        // 191 KB per answer: each address has its budget, as with the API.
        try {
          await limitPerClient(c, ctx);
        } catch (error) {
          if (error instanceof HttpProblem) return problemResponse(error, c.get('requestId'));
          throw error;
        }
        openapi ??= JSON.stringify(buildOpenApiDocument());
        return c.body(openapi, 200, { 'content-type': 'application/json' });
      });
      if (options.static !== undefined) mountStaticFolder(routes, options.static);
    },
  });

  const server = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: options.host ?? '127.0.0.1' });
  await new Promise<void>((done, fail) => {
    if (server.listening) done();
    server.once('listening', () => done());
    server.once('error', fail);
  }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  dispatcher?.start();
  let lastRetention = 0;
  const maintain = () => {
    void purgeIdempotencyKeys(ctx.db, undefined, clock).catch(() => undefined);
    // Purged buckets name client-address hashes: they leave the write-ahead log too.
    void purgeRateLimitBuckets(ctx.db, clock)
      .then((purged) => {
        if (purged > 0) checkpointWal?.();
      })
      .catch(() => undefined);
    if (options.retention !== undefined && clock() - lastRetention >= 3_600_000) {
      lastRetention = clock();
      void applyRetention(ctx.db, options.retention, clock(), erasureJournal)
        .then((erased) => {
          if (erased.length > 0) checkpointWal?.();
        })
        .catch((error: unknown) => ctx.reportError('retention', error));
    }
  };
  maintain();
  const maintenance = setInterval(maintain, 10 * 60_000);
  maintenance.unref();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    database,
    close() {
      closing ??= (async () => {
        clearInterval(maintenance);
        await dispatcher?.stop();
        await new Promise<void>((done) => {
          server.close(() => done());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await ctx.groupCommit?.idle();
        await database.close();
      })();
      return closing;
    },
  };
}
