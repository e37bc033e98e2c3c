import { randomUUID } from 'node:crypto';
import { generateEncryptionKey } from '../crypto/field-cipher.js';
import { type DemoSeed, seedDemo } from '../demo/seed-demo.js';
import { openDatabase } from '../storage/open-database.js';
import { type ReferralServer, type ReferralServerOptions, startReferralServer } from '../start-server.js';
import type { TestBackend, TestDatabase } from '@tahaffuz/test-kit';

/** A server on a fresh database of one backend, seeded with the demo directory and keys. */
export interface TestServer {
  readonly server: ReferralServer;
  readonly target: TestDatabase;
  readonly encryptionKey: string;
  /** Test-mode keys. */
  readonly keys: DemoSeed;
  /** Live-mode keys of the same organisations. */
  readonly liveKeys: DemoSeed;
  /** Stops the server and removes the database. */
  stop(): Promise<void>;
}

/** The origin the demo publishable keys allow in tests. */
export const TEST_ORIGIN = 'https://partner.example.org';

/** Starts a seeded server on a fresh database. */
export async function startTestServer(
  backend: TestBackend,
  options: Partial<Omit<ReferralServerOptions, 'database'>> = {},
): Promise<TestServer> {
  const target = await backend.create();
  const encryptionKey = generateEncryptionKey();
  const setup = await openDatabase(target.config);
  const keys = await seedDemo(setup.db, { mode: 'test', origins: [TEST_ORIGIN] });
  const liveKeys = await seedDemo(setup.db, { mode: 'live', origins: [TEST_ORIGIN] });
  await setup.close();
  const server = await startReferralServer({
    database: target.config,
    port: 0,
    encryptionKey,
    log: false,
    rateLimit: false,
    ...options,
  });
  return {
    server,
    target,
    encryptionKey,
    keys,
    liveKeys,
    async stop() {
      await server.close();
      await target.cleanup();
    },
  };
}

/** A valid report body with a fresh id; `overrides` replace top-level fields. */
export function sampleReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    categories: ['bonded_labour', 'child_labour'],
    happening_now: true,
    location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln', landmark: 'near the canal bridge' },
    victims: { count: 4, age_band: '12_to_14', indicators: ['debt', 'cannot_leave'] },
    narrative: 'Four children work at the kiln from dawn; the owner holds their families in debt.',
    reporter: {
      mode: 'confidential',
      contact: { name: 'Reporter Person', phone: '+92 300 1234567', safe_to_contact: true },
    },
    locale: 'ur',
    ...overrides,
  };
}

/** `fetch` with JSON, a bearer key and (for POST) a fresh Idempotency-Key unless one is given. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; idempotencyKey?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (method === 'POST' && options.idempotencyKey !== null) headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}
