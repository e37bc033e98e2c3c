import { randomUUID } from 'node:crypto';
import { OPERATIONS, REQUEST_EXAMPLES } from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, edit, type Json, type JsonPath, nodesOf } from '@tahaffuz/test-kit';
import { call, startTestServer, type TestServer } from '../test-support/test-server.js';

/** A value of another JSON type than `value`: never accepted where `value`'s type is expected. */
function wrongType(value: Json): Json {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'true';
  if (value === null) return { unexpected: true };
  if (Array.isArray(value)) return { not: 'an array' };
  return ['not', 'an', 'object'];
}

type Mutation = { kind: 'wrong-type'; pick: number } | { kind: 'huge-string'; pick: number } | { kind: 'unknown-field'; name: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('wrong-type' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('huge-string' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('unknown-field' as const),
    name: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'id_', 'organization_id_', 'status_'),
      fc.string({ minLength: 1, maxLength: 20 }),
    ),
  }),
);

/** Lone surrogates, RTL marks, NUL and astral characters, to be put into any string as well. */
const noise = fc.constantFrom('\u0000', '\ud800', '\u202e', '𝕏', 'ؐ', '\r\n', '"\'', '<script>');

/** The key each operation is called with: one whose role may call it, so validation is what answers. */
function keyFor(t: TestServer, id: string): string {
  const k = t.keys.secretKeys;
  if (id === 'reports.create') return t.keys.publishableKey;
  if (id.startsWith('cases.') || id.startsWith('consents.')) return id === 'cases.transition' ? k.supervisor : k.intake;
  if (id.startsWith('referrals.')) return k.supervisor;
  if (id === 'services.updateCapacity') return k.provider;
  // Erasure is the admin's; routing, organisations, services and keys the operator may all call.
  return id === 'erasures.create' ? k.admin : k.operator;
}

const BODY_OPERATIONS = OPERATIONS.filter((op) => 'request' in op && op.request !== undefined && op.id in REQUEST_EXAMPLES);
const TABLES = [
  'reports',
  'cases',
  'consents',
  'referrals',
  'organizations',
  'services',
  'webhook_subscriptions',
  'api_keys',
  'routing',
  'idempotency_keys',
  'events',
] as const;

describeEachBackend('bad input at every endpoint with a body', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await t.server.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }

  it('covers every operation with a request body', () => {
    expect(BODY_OPERATIONS.map((op) => op.id).sort()).toEqual(
      OPERATIONS.filter((op) => 'request' in op && op.request !== undefined)
        .map((op) => op.id)
        .sort(),
    );
  });

  it('answers mutated bodies with 400 problem+json naming a field, never 5xx, and stores nothing', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_OPERATIONS), mutation, noise, fc.nat(), async (operation, change, junk, junkPick) => {
        const example = REQUEST_EXAMPLES[operation.id as keyof typeof REQUEST_EXAMPLES] as unknown as Json;
        let body = example;
        const nodes = nodesOf(example).slice(1);
        const all: JsonPath[] = nodes.map((n) => n.path);
        // Some unicode noise in one string (valid or not), then a change that is always invalid.
        const strings = nodes.filter((n) => typeof n.value === 'string').map((n) => n.path);
        const noisy = strings[junkPick % Math.max(1, strings.length)];
        if (noisy !== undefined) body = edit(body, noisy, (old) => `${String(old)}${junk}`);
        let text: string;
        if (change.kind === 'unknown-field') {
          const copy = structuredClone(body) as Record<string, Json>;
          if (change.name in copy) return; // not unknown
          Object.defineProperty(copy, change.name, { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
          text = JSON.stringify(copy);
        } else {
          const candidates = change.kind === 'huge-string' ? strings : all;
          const target = candidates[change.pick % Math.max(1, candidates.length)];
          if (target === undefined) return;
          text = JSON.stringify(
            edit(body, target, (old) => (change.kind === 'huge-string' ? `${'ب'.repeat(12_000)}${junk}` : wrongType(old))),
          );
        }
        const path = operation.path.replace('{id}', randomUUID());
        const method = operation.method;
        const response = await call(t.server.url, method, path, { key: keyFor(t, operation.id), body: text });
        expect(response.status, `${operation.id} ${JSON.stringify(change)}`).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.json.invalid_params.length).toBeGreaterThan(0);
        for (const param of response.json.invalid_params) {
          expect(typeof param.name).toBe('string');
          expect(param.name.length).toBeGreaterThan(0);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
  });
});
