import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoAt } from '../clock.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeIdempotencyKeys,
  releaseIdempotencyKey,
} from '../idempotency/idempotency-store.js';
import { parseApiKey } from '@tahaffuz/referral-contract';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from '../keys/api-keys.js';
import { hitRateLimit, purgeRateLimitBuckets } from '../rate-limit/rate-limiter.js';
import { describeEachBackend, type TestDatabase } from '@tahaffuz/test-kit';
import { type OpenDatabase, openDatabase } from './open-database.js';

const ORG_A = '0b7c1f5e-3d2a-4c8b-9e1f-2a3b4c5d6e7f';

describeEachBackend('storage', (backend) => {
  let target: TestDatabase;
  let first: OpenDatabase;
  let second: OpenDatabase;

  beforeAll(async () => {
    target = await backend.create();
    // Two independent handles on one database stand for two server processes. (One process must
    // not open two SQLite handles at once: a synchronous busy wait would block the other's await.)
    first = await openDatabase(target.config);
    second = await openDatabase(target.config);
    await first.db
      .insertInto('organizations')
      .values({ id: ORG_A, name: 'Org A', data: '{}', is_demo: 0, created_at: isoAt(0), updated_at: isoAt(0) })
      .execute();
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await target?.cleanup();
  });

  it('migrates once, concurrently, and again without change', async () => {
    expect(first.dialect).toBe(backend.name);
    const again = await openDatabase(target.config);
    const tables = await again.db.introspection.getTables();
    await again.close();
    const names = tables.map((t) => t.name);
    for (const table of [
      'api_keys',
      'reports',
      'cases',
      'consents',
      'referrals',
      'audit_events',
      'events',
      'idempotency_keys',
      'rate_limit_buckets',
      'webhook_outbox',
    ]) {
      expect(names).toContain(table);
    }
  });

  describe('api keys', () => {
    it('stores only a hash, finds by the key, lists without secrets, revokes', async () => {
      const secret = await createApiKey(first.db, { kind: 'secret', mode: 'test', organizationId: ORG_A, role: 'caseworker' });
      expect(parseApiKey(secret.key)).toEqual({ kind: 'secret', mode: 'test' });
      const rows = await first.db.selectFrom('api_keys').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(secret.key);
      const found = await findApiKey(second.db, secret.key);
      expect(found).toMatchObject({
        id: secret.record.id,
        organization_id: ORG_A,
        role: 'caseworker',
        mode: 'test',
        last4: secret.key.slice(-4),
      });
      // Another last character (the key's own may already be an 'x': one key in 62).
      const wrong = `${secret.key.slice(0, -1)}${secret.key.endsWith('x') ? 'y' : 'x'}`;
      expect(await findApiKey(first.db, wrong)).toBeUndefined();
      expect(JSON.stringify(await listApiKeys(first.db))).not.toContain(secret.key);
      expect(await revokeApiKey(first.db, secret.record.id)).toBe(true);
      expect(await revokeApiKey(first.db, secret.record.id)).toBe(false);
      expect(await findApiKey(second.db, secret.key)).toBeUndefined();
    });

    it('publishable keys need an origin; secret keys need an existing organisation', async () => {
      await expect(
        createApiKey(first.db, { kind: 'publishable', mode: 'live', organizationId: ORG_A, allowedOrigins: [] }),
      ).rejects.toThrow(/allowed origin/);
      await expect(
        createApiKey(first.db, { kind: 'secret', mode: 'live', organizationId: '00000000-0000-4000-8000-000000000000', role: 'intake' }),
      ).rejects.toThrow(/does not exist/);
      const pk = await createApiKey(first.db, {
        kind: 'publishable',
        mode: 'live',
        organizationId: ORG_A,
        allowedOrigins: ['https://partner.example.org/path', 'https://partner.example.org'],
      });
      expect(pk.key).toMatch(/^tz_pk_live_[0-9A-Za-z]{32}$/);
      expect(pk.record.allowed_origins).toEqual(['https://partner.example.org']);
    });
  });

  describe('idempotency', () => {
    const response = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"r1"}' };

    it('claims once, replays the stored response, refuses another body', async () => {
      const claimed = await claimIdempotencyKey(first.db, 'key_1', 'k-replay', 'hash-a');
      expect(claimed.kind).toBe('claimed');
      expect((await claimIdempotencyKey(second.db, 'key_1', 'k-replay', 'hash-a')).kind).toBe('in_flight');
      expect((await claimIdempotencyKey(second.db, 'key_1', 'k-replay', 'hash-b')).kind).toBe('mismatch');
      if (claimed.kind !== 'claimed') throw new Error('unreachable');
      expect(await completeIdempotencyKey(first.db, 'key_1', 'k-replay', claimed.leaseToken, response)).toBe(true);
      expect(await claimIdempotencyKey(second.db, 'key_1', 'k-replay', 'hash-a')).toEqual({ kind: 'replay', response });
      expect((await claimIdempotencyKey(second.db, 'key_1', 'k-replay', 'hash-b')).kind).toBe('mismatch');
      // Keys are scoped per API key.
      expect((await claimIdempotencyKey(second.db, 'key_2', 'k-replay', 'hash-b')).kind).toBe('claimed');
    });

    it('lets exactly one of many concurrent claims from two processes win', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, i) => claimIdempotencyKey(i % 2 === 0 ? first.db : second.db, 'key_1', 'k-race', 'h')),
      );
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'in_flight')).toHaveLength(15);
    });

    it('hands an expired lease to the next request; the old holder can no longer complete', async () => {
      let now = Date.parse('2026-11-28T10:00:00Z');
      const clock = () => now;
      const crashed = await claimIdempotencyKey(first.db, 'key_1', 'k-lease', 'h', { leaseMs: 1_000, clock });
      expect((await claimIdempotencyKey(second.db, 'key_1', 'k-lease', 'h', { leaseMs: 1_000, clock })).kind).toBe('in_flight');
      now += 1_001;
      const next = await claimIdempotencyKey(second.db, 'key_1', 'k-lease', 'h', { leaseMs: 1_000, clock });
      expect(next.kind).toBe('claimed');
      if (crashed.kind !== 'claimed' || next.kind !== 'claimed') throw new Error('unreachable');
      expect(await completeIdempotencyKey(first.db, 'key_1', 'k-lease', crashed.leaseToken, response)).toBe(false);
      expect(await completeIdempotencyKey(second.db, 'key_1', 'k-lease', next.leaseToken, response)).toBe(true);
    });

    it('a released key runs afresh', async () => {
      const claimed = await claimIdempotencyKey(first.db, 'key_1', 'k-release', 'h');
      if (claimed.kind !== 'claimed') throw new Error('unreachable');
      await releaseIdempotencyKey(first.db, 'key_1', 'k-release', claimed.leaseToken);
      expect((await claimIdempotencyKey(second.db, 'key_1', 'k-release', 'other')).kind).toBe('claimed');
    });

    it('records are kept at least 24 hours, then purged', async () => {
      // A database of its own: the purge counts every row, so no other test's rows may be there.
      const own = await backend.create();
      const db = await openDatabase(own.config);
      try {
        const start = Date.parse('2031-05-05T05:05:05Z');
        let now = start;
        const clock = () => now;
        const claimed = await claimIdempotencyKey(db.db, 'key_1', 'k-kept', 'hash-a', { clock });
        if (claimed.kind !== 'claimed') throw new Error('unreachable');
        expect(await completeIdempotencyKey(db.db, 'key_1', 'k-kept', claimed.leaseToken, response)).toBe(true);
        now = start + 23 * 3_600_000;
        expect(await purgeIdempotencyKeys(db.db, 1_000, clock)).toBe(0);
        expect((await claimIdempotencyKey(db.db, 'key_1', 'k-kept', 'hash-a', { clock })).kind).toBe('replay');
        now = start + 48 * 3_600_000;
        expect(await purgeIdempotencyKeys(db.db, undefined, clock)).toBe(1);
        expect((await claimIdempotencyKey(db.db, 'key_1', 'k-kept', 'hash-a', { clock })).kind).toBe('claimed');
      } finally {
        await db.close();
        await own.cleanup();
      }
    });
  });

  describe('rate limits', () => {
    it('count across processes, answer with the time until one more fits in the sliding window, and expire', async () => {
      const now = Date.parse('2026-11-28T10:00:10Z');
      const clock = () => now;
      const rule = { limit: 5, windowMs: 60_000 };
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => hitRateLimit(i % 2 === 0 ? first.db : second.db, 'key:key_rl', rule, clock)),
      );
      expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
      // Refusals count too; the last of the 8 waits longest: in the next window 8·(60 − x)/60 + 1 ≤ 5
      // from x = 30 s, so 50 s + 30 s from now (the 6th and 7th were told 70 s and 76 s).
      const waits = outcomes.filter((o) => !o.allowed).map((o) => o.retryAfterSeconds);
      expect(waits.sort((a, b) => a - b)).toEqual([70, 76, 80]);
      expect((await hitRateLimit(first.db, 'key:other', rule, clock)).allowed).toBe(true);
      // No reset at the minute: the previous window still counts.
      expect((await hitRateLimit(first.db, 'key:key_rl', rule, () => now + 60_000)).allowed).toBe(false);
      // That refusal counted as well: 2 + 8·(60 − 40)/60 ≤ 5 at 40 s into the next window.
      expect((await hitRateLimit(first.db, 'key:key_rl', rule, () => now + 90_000)).allowed).toBe(true);
      // A window's row is kept while it is the previous window, then purged.
      expect(await purgeRateLimitBuckets(first.db, () => now + 60_000)).toBe(0);
      expect(await purgeRateLimitBuckets(first.db, () => now + 120_000)).toBeGreaterThanOrEqual(2);
    });
  });
});
