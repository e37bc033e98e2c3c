import { parseArgs } from 'node:util';
import { type Role, ROLES, RoleSchema } from '@tahaffuz/referral-contract';
import * as z from 'zod/mini';
import {
  createFieldCipher,
  ENCRYPTION_KEY_ENV,
  type FieldCipher,
  parseEncryptionKey,
  parseEncryptionKeyList,
  PREVIOUS_ENCRYPTION_KEYS_ENV,
} from '../crypto/field-cipher.js';
import { encryptionStatus, type EncryptionStatus, rotateEncryption } from '../crypto/rotate-encryption.js';
import { DEMO_ROLE_ORGANIZATION, DEMO_ROUTING, demoOrganizationName, seedDemo } from '../demo/seed-demo.js';
import { eraseObject } from '../domain/erasure.js';
import { defaultErasureJournalDirectory, openErasureJournal } from '../domain/erasure-journal.js';
import { NATIONAL_DEFAULT } from '../domain/routing.js';
import { isReferralServerError, ReferralServerError } from '../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys/api-keys.js';
import { checkpointSqliteWal, type DatabaseConfig, openDatabase, sqliteFileOf } from '../storage/open-database.js';
import { startReferralServer } from '../start-server.js';

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `Usage: tahaffuz-server <command> [options]

Commands:
  start [--port 8787] [--host 127.0.0.1] [--db ./data/tahaffuz.db | --database-url postgres://…] [--static <dir>] [--demo]
        [--retention-years <n>]   anonymise closed cases n years after closing
        [--erasure-journal <dir>] where erasures are journalled and replayed at start, so a restored
                                  backup is erased again (default <db file>.erasures on SQLite;
                                  none on PostgreSQL: set one, outside the database's backups)
        [--trust-proxy <addr,...>] your load balancers (addresses or CIDR ranges): the client is the
                                  rightmost X-Forwarded-For hop that is not one of them; without it
                                  X-Forwarded-For is ignored
        [--allow-webhook-target <cidr,...>] private ranges webhooks may reach (development and tests
                                  only, e.g. 127.0.0.0/8,::1 for receivers on this machine); without
                                  it webhooks reach public addresses only
  migrate [--db … | --database-url …]
  seed --demo [--origin <url>…] [--live]
  keys create --org <id> --role intake|caseworker|supervisor|provider|admin|operator [--test] [--name <text>]
        operator: the national platform desk (routing, organisations, every organisation's entries);
        make the first one here, then operator keys make the others
  keys create --publishable --origin <url>… [--org <id>] [--test] [--name <text>]
  keys list
  keys revoke <key id>
  erase <report|case> <id> [--erasure-journal <dir>]   journalled like an erasure through the API
  encryption status [--db … | --database-url …]
        counts the encrypted values under each key id
  encryption rotate [--db … | --database-url …] [--batch-size 500] [--compact]
        re-encrypts every value with $TAHAFFUZ_ENCRYPTION_KEY (the previous keys only decrypt);
        --compact then rebuilds the storage so freed space keeps no old ciphertext (writers wait)

The database is --database-url, else $DATABASE_URL, else --db (default ./data/tahaffuz.db).
Narratives and reporter contact are encrypted with $TAHAFFUZ_ENCRYPTION_KEY (base64 of 32 bytes);
start refuses to run without it unless --demo. Earlier keys that only decrypt, while a rotation
runs: $TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS, comma-separated.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  'database-url': { type: 'string' },
  static: { type: 'string' },
  demo: { type: 'boolean' },
  org: { type: 'string' },
  role: { type: 'string' },
  test: { type: 'boolean' },
  live: { type: 'boolean' },
  publishable: { type: 'boolean' },
  origin: { type: 'string', multiple: true },
  name: { type: 'string' },
  'retention-years': { type: 'string' },
  'erasure-journal': { type: 'string' },
  'trust-proxy': { type: 'string', multiple: true },
  'allow-webhook-target': { type: 'string', multiple: true },
  'batch-size': { type: 'string' },
  compact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(message: string): ReferralServerError {
  return new ReferralServerError('invalid_argument', `${message}\n\n${USAGE}`);
}

function databaseOf(values: { db?: string | undefined; 'database-url'?: string | undefined }, env: CliIo['env']): DatabaseConfig {
  const url = values['database-url'] ?? env['DATABASE_URL'];
  if (url !== undefined && url !== '') return { postgres: url };
  return { sqlite: values.db ?? './data/tahaffuz.db' };
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

/**
 * Runs one `tahaffuz-server` command. Resolves with the exit code; `start` resolves with a
 * function that stops the server instead, once it listens.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number | { stop: () => Promise<void> }> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    io.out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  try {
    const database = databaseOf(values, io.env);
    switch (command) {
      case 'start': {
        const port = values.port === undefined ? 8787 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535)
          throw usageError(`--port must be a number from 0 to 65535, not "${values.port ?? ''}".`);
        const years = values['retention-years'] === undefined ? undefined : Number(values['retention-years']);
        if (years !== undefined && !(years > 0)) throw usageError('--retention-years must be a positive number of years.');
        const trustProxy = (values['trust-proxy'] ?? []).flatMap((list) => list.split(',')).map((entry) => entry.trim());
        if (trustProxy.some((entry) => entry === ''))
          throw usageError('--trust-proxy takes a comma-separated list of addresses or CIDR ranges.');
        const journal = values['erasure-journal'];
        if (journal !== undefined && journal.trim() === '') throw usageError('--erasure-journal takes a folder path.');
        const allowTargets = (values['allow-webhook-target'] ?? []).flatMap((list) => list.split(',')).map((entry) => entry.trim());
        if (allowTargets.some((entry) => entry === ''))
          throw usageError('--allow-webhook-target takes a comma-separated list of addresses or CIDR ranges.');
        const server = await startReferralServer({
          ...(years === undefined ? {} : { retention: { closedCaseYears: years } }),
          ...(journal === undefined ? {} : { erasureJournal: journal }),
          ...(trustProxy.length === 0 ? {} : { trustProxy }),
          ...(allowTargets.length === 0 ? {} : { webhookTargets: { allow: allowTargets } }),
          database,
          port,
          host: values.host ?? '127.0.0.1',
          demo: values.demo === true,
          ...(values.static === undefined ? {} : { static: values.static }),
          ...(io.env[ENCRYPTION_KEY_ENV] === undefined ? {} : { encryptionKey: io.env[ENCRYPTION_KEY_ENV] }),
          previousEncryptionKeys: (io.env[PREVIOUS_ENCRYPTION_KEYS_ENV] ?? '')
            .split(',')
            .map((key) => key.trim())
            .filter((key) => key !== ''),
        });
        io.err(`tahaffuz-server listening on ${server.url} (${server.database.dialect}${values.demo === true ? ', DEMO mode' : ''})`);
        return { stop: () => server.close() };
      }
      case 'migrate': {
        const db = await openDatabase(database);
        await db.close();
        io.out(`Database is at the latest schema (${db.dialect}).`);
        return 0;
      }
      case 'seed': {
        if (values.demo !== true) throw usageError('seed loads demo data only: run "seed --demo".');
        const db = await openDatabase(database);
        try {
          const seed = await seedDemo(db.db, {
            mode: values.live === true ? 'live' : 'test',
            ...(values.origin === undefined ? {} : { origins: values.origin }),
          });
          io.out('DEMO directory and routing table loaded (every name starts with "DEMO": not real organisations).');
          io.out('Keys (shown once, stored hashed):');
          io.out(`  publishable  ${seed.publishableKey}`);
          for (const [role, key] of Object.entries(seed.secretKeys)) {
            const org = demoOrganizationName(DEMO_ROLE_ORGANIZATION[role as Role]) ?? '';
            io.out(`  ${role.padEnd(11)}  ${key}  ${org}`);
          }
          io.out("Admin key of each organisation (its own keys, webhooks, services and capacity; routing is the operator's):");
          for (const [id, key] of Object.entries(seed.adminKeys)) io.out(`  ${(demoOrganizationName(id) ?? id).padEnd(38)}  ${key}`);
          io.out('Who reads which reports (the routing table; the operator key changes it):');
          const readers = [
            ...DEMO_ROUTING.rules.map((rule) => ({ area: rule.admin_area, org: rule.organization_id })),
            { area: 'elsewhere', org: DEMO_ROUTING.default_organization_id },
          ];
          for (const { area, org } of readers) {
            const also = org === DEMO_ROLE_ORGANIZATION.intake ? ' (and the caseworker and supervisor keys above)' : '';
            io.out(
              `  reports from ${area.padEnd(9)}  ${(demoOrganizationName(org) ?? org).padEnd(38)}  intake key ${seed.intakeKeys[org] ?? ''}${also}`,
            );
          }
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'keys':
        return await keysCommand(rest, values, database, io);
      case 'encryption':
        return await encryptionCommand(rest, values, database, io);
      case 'erase': {
        const [target, id] = rest;
        if ((target !== 'report' && target !== 'case') || id === undefined) throw usageError('erase needs "report" or "case" and an id.');
        const journalDirectory = values['erasure-journal'] ?? defaultErasureJournalDirectory(database);
        const journal = journalDirectory === undefined ? undefined : openErasureJournal(journalDirectory);
        const db = await openDatabase(database);
        try {
          const erased = await eraseObject(db.db, target, id, { key: undefined, requestId: 'cli', now: Date.now(), journal });
          if (!erased) throw new ReferralServerError('not_found', `No ${target} ${id}.`);
          const file = sqliteFileOf(db.db);
          if (file !== undefined) checkpointSqliteWal(file);
          io.out(`Erased the personal content of ${target} ${id}.`);
        } finally {
          await db.close();
        }
        return 0;
      }
      default:
        throw usageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (isReferralServerError(error)) {
      io.err(error.message);
      return error.code === 'invalid_argument' ? 2 : 1;
    }
    throw error;
  }
}

async function keysCommand(
  rest: readonly string[],
  values: {
    org?: string | undefined;
    role?: string | undefined;
    test?: boolean | undefined;
    publishable?: boolean | undefined;
    origin?: string[] | undefined;
    name?: string | undefined;
  },
  database: DatabaseConfig,
  io: CliIo,
): Promise<number> {
  const [action, id] = rest;
  const db = await openDatabase(database);
  try {
    switch (action) {
      case 'create': {
        const mode = values.test === true ? 'test' : 'live';
        const name = values.name === undefined ? {} : { name: values.name };
        if (values.publishable === true) {
          if (values.origin === undefined || values.origin.length === 0)
            throw usageError('A publishable key needs --origin <url> (one or more).');
          let org = values.org;
          if (org === undefined) {
            org = (
              await db.db.selectFrom('routing').select('organization_id').where('admin_area', '=', NATIONAL_DEFAULT).executeTakeFirst()
            )?.organization_id;
            if (org === undefined) throw usageError('Give --org <id>: there is no routing table whose national default could own the key.');
          }
          const created = await createApiKey(db.db, {
            kind: 'publishable',
            mode,
            organizationId: org,
            allowedOrigins: values.origin,
            ...name,
          });
          io.out(`${created.record.id}  ${created.key}`);
          io.out('The key is shown once; it is stored hashed.');
          return 0;
        }
        if (values.org === undefined || values.role === undefined) throw usageError('A secret key needs --org <id> and --role <role>.');
        const role = z.safeParse(RoleSchema, values.role);
        if (!role.success) throw usageError(`--role must be one of ${ROLES.join(', ')}; not "${values.role}".`);
        const created = await createApiKey(db.db, { kind: 'secret', mode, organizationId: values.org, role: role.data as Role, ...name });
        io.out(`${created.record.id}  ${created.key}`);
        io.out('The key is shown once; it is stored hashed.');
        if (role.data === 'operator') {
          io.out(
            "An operator key changes the routing table, organisations and every organisation's directory entries: keep it at the platform desk.",
          );
        }
        return 0;
      }
      case 'list': {
        for (const key of await listApiKeys(db.db)) {
          const what = key.kind === 'secret' ? (key.role ?? '') : `publishable ${key.allowed_origins.join(' ')}`;
          io.out(
            [
              key.id,
              key.mode,
              `…${key.last4}`,
              key.organization_id,
              what,
              key.revoked_at === null ? 'active' : `revoked ${key.revoked_at}`,
            ].join('  '),
          );
        }
        return 0;
      }
      case 'revoke': {
        if (id === undefined) throw usageError('keys revoke needs a key id (see keys list).');
        if (!(await revokeApiKey(db.db, id))) throw new ReferralServerError('not_found', `No active key ${id}.`);
        io.out(`Revoked ${id}.`);
        return 0;
      }
      default:
        throw usageError(`Unknown keys action "${action ?? ''}": create, list or revoke.`);
    }
  } finally {
    await db.close();
  }
}

function cipherOf(env: CliIo['env'], required: boolean): FieldCipher | undefined {
  const current = env[ENCRYPTION_KEY_ENV];
  if (current === undefined || current === '') {
    if (!required) return undefined;
    throw new ReferralServerError(
      'missing_encryption_key',
      `Set ${ENCRYPTION_KEY_ENV} to the new key (it encrypts) and ${PREVIOUS_ENCRYPTION_KEYS_ENV} to the old ones (they only decrypt).`,
    );
  }
  return createFieldCipher(parseEncryptionKey(current), parseEncryptionKeyList(env[PREVIOUS_ENCRYPTION_KEYS_ENV] ?? ''));
}

function printStatus(status: EncryptionStatus, cipher: FieldCipher | undefined, io: CliIo): void {
  const name = (keyId: string) =>
    keyId === 'v1'
      ? 'v1 (no key id)'
      : keyId === cipher?.keyId
        ? `${keyId} (current)`
        : cipher?.keyIds.includes(keyId)
          ? `${keyId} (previous)`
          : keyId === 'unreadable'
            ? 'unreadable'
            : `${keyId} (not configured)`;
  io.out(`Configured key ids: ${cipher === undefined ? 'none given' : cipher.keyIds.map(name).join(', ')}`);
  for (const column of status.columns) {
    const counts = Object.entries(column.byKeyId).map(([keyId, n]) => `${name(keyId)}: ${n}`);
    io.out(`  ${column.label.padEnd(40)} ${counts.length === 0 ? 'no values' : counts.join(', ')}`);
  }
  io.out(`Key ids recorded as in use: ${status.keyIdsInUse.join(', ') || 'none'}`);
}

async function encryptionCommand(
  rest: readonly string[],
  values: { 'batch-size'?: string | undefined; compact?: boolean | undefined },
  database: DatabaseConfig,
  io: CliIo,
): Promise<number> {
  const [action] = rest;
  if (action !== 'status' && action !== 'rotate') throw usageError(`Unknown encryption action "${action ?? ''}": status or rotate.`);
  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw usageError('--batch-size must be a whole number from 1 to 10000.');
  const cipher = cipherOf(io.env, action === 'rotate');
  const db = await openDatabase(database);
  try {
    if (action === 'status') {
      const status = await encryptionStatus(db.db, cipher);
      printStatus(status, cipher, io);
      if (cipher === undefined) return 0;
      io.out(
        status.notCurrent === 0
          ? `Every value is under the current key ${cipher.keyId}.${status.keyIdsInUse.some((id) => id !== cipher.keyId) ? ' Run "tahaffuz-server encryption rotate" once more to record that, then the previous keys can go.' : ' No previous key is needed by this database.'}`
          : `${status.notCurrent} value(s) are not under the current key ${cipher.keyId}: run "tahaffuz-server encryption rotate".`,
      );
      return 0;
    }
    const active = cipher as FieldCipher;
    io.out(`Re-encrypting with key id ${active.keyId} in batches of ${batchSize}.`);
    const summary = await rotateEncryption(db.db, active, { batchSize, compact: values.compact === true });
    for (const column of summary.columns) {
      io.out(
        `  ${column.label.padEnd(40)} rewritten ${column.rewrapped}, changed meanwhile ${column.changedMeanwhile}, unreadable ${column.unreadable}`,
      );
    }
    printStatus(summary.status, active, io);
    if (summary.finished) {
      io.out(
        `Done: every value is under key id ${active.keyId}. Once every server runs with it as ${ENCRYPTION_KEY_ENV}, remove the previous keys from ${PREVIOUS_ENCRYPTION_KEYS_ENV}. Backups taken before now still need the old key.`,
      );
      return 0;
    }
    if (summary.unreadable > 0) {
      io.err(
        `${summary.unreadable} value(s) could not be read (key id ${summary.unreadableKeyIds.join(', ')}): give the key they were written with in ${PREVIOUS_ENCRYPTION_KEYS_ENV} and run again. Keep the previous keys until then.`,
      );
      return 1;
    }
    io.err(
      `${summary.status.notCurrent} value(s) were written under another key while this ran (a server still running with an older ${ENCRYPTION_KEY_ENV}?): restart every server with the new key, then run again. Keep the previous keys until then.`,
    );
    return 1;
  } finally {
    await db.close();
  }
}
