import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  can,
  caseTransitionAction,
  type CaseTransitionTarget,
  type OperationSpec,
  OPERATIONS,
  operationPath,
  referralTransitionAction,
  type ReferralStatus,
  REQUEST_EXAMPLES,
  ROLES,
  type Role,
} from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { changesSharedDirectory } from '../src/directory/shared-directory.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { edit, HOSTILE_STRINGS, type Json, mutationsOf, nodesOf, PROTOTYPE_KEYS } from '@tahaffuz/test-kit';
import { namesPath } from './support/names-path.js';
import { rowCounts } from './support/row-counts.js';
import { startWorld, type World } from './support/world.js';

/*
 * Bad input at every endpoint that takes a body: fast-check mutations of the contract's own
 * request examples (checked invalid against the contract's schema first), broken JSON and wrong
 * content types. Always a 4xx problem+json — with invalid_params naming the broken field whenever
 * the body was JSON — never a 5xx, and not one row written anywhere.
 */

const RUNS_PER_ENDPOINT = 30;
const WITH_BODY = (OPERATIONS as readonly OperationSpec[]).filter((op) => op.request !== undefined);
const EXAMPLES = REQUEST_EXAMPLES as Readonly<Record<string, unknown>>;

/** The first role allowed to call an operation (with its example body), so the request gets past authorisation. */
function roleFor(op: OperationSpec): Role {
  const to = (EXAMPLES[op.id] as { to?: string } | undefined)?.to;
  const extra =
    op.actionByTarget === 'referral' && to !== undefined
      ? referralTransitionAction(to as ReferralStatus)
      : op.actionByTarget === 'case' && to !== undefined
        ? caseTransitionAction(to as CaseTransitionTarget)
        : null;
  const role = ROLES.find((r) => can(r, op.action) && (extra === null || can(r, extra)));
  if (role === undefined) throw new Error(`no role may ${op.action}`);
  return role;
}

/** A key of side A allowed to call the operation: a test key, or a live one where only live keys may (the shared directory). */
function keyFor(w: World, op: OperationSpec): string {
  return w.keys[changesSharedDirectory(op.id) ? 'live' : 'test'].A[roleFor(op)];
}

function pathOf(op: OperationSpec): string {
  return op.path.includes('{id}') ? operationPath(op, { id: randomUUID() }) : op.path;
}

async function post(w: World, op: OperationSpec, body: string | Uint8Array, contentType: string | undefined) {
  const headers: Record<string, string> = { authorization: `Bearer ${keyFor(w, op)}`, 'idempotency-key': randomUUID() };
  if (contentType !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${w.url}${pathOf(op)}`, {
    method: op.method,
    headers,
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', json, text };
}

describe('bad-input plan', () => {
  it('has a valid example body for every operation that takes one', () => {
    expect(WITH_BODY.length).toBeGreaterThanOrEqual(14);
    for (const op of WITH_BODY) {
      expect(EXAMPLES[op.id], op.id).toBeDefined();
      expect(z.safeParse(op.request as z.core.$ZodType, EXAMPLES[op.id]).success, op.id).toBe(true);
    }
  });
});

describeEachBackend('bad input', (backend) => {
  let w: World;
  let before: Record<string, number>;
  beforeAll(async () => {
    w = await startWorld(backend);
    before = await rowCounts(w);
  });
  afterAll(async () => w?.stop());

  describe.each(WITH_BODY.map((op) => [op.id, op] as const))('%s', (_id, op) => {
    const base = EXAMPLES[op.id] as Json;

    it(`answers ${RUNS_PER_ENDPOINT} schema-derived mutations with 4xx problem+json naming the field, never 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(mutationsOf(base), async (mutation) => {
          const text = JSON.stringify(mutation.body);
          // Only bodies the contract itself rejects (a mutation may happen to stay valid).
          fc.pre(!z.safeParse(op.request as z.core.$ZodType, JSON.parse(text)).success);
          const answer = await post(w, op, text, 'application/json');
          const where = `${mutation.kind} at ${JSON.stringify(mutation.path)}: ${answer.status} ${answer.text.slice(0, 300)}`;
          expect(answer.status, where).toBeGreaterThanOrEqual(400);
          expect(answer.status, where).toBeLessThan(500);
          expect(answer.contentType, where).toMatch(/^application\/problem\+json/);
          expect(answer.json?.status, where).toBe(answer.status);
          if (answer.status === 413) {
            expect(Buffer.byteLength(text), where).toBeGreaterThan(256 * 1024);
            return;
          }
          expect(answer.status, where).toBe(400);
          const params = answer.json?.invalid_params as Array<{ name: string; reason: string }> | undefined;
          expect(params?.length, where).toBeGreaterThan(0);
          for (const param of params ?? []) {
            expect(
              typeof param.name === 'string' && param.name !== '' && typeof param.reason === 'string' && param.reason !== '',
              where,
            ).toBe(true);
          }
          expect(
            params?.some((param) => namesPath(param.name, mutation.path)),
            where,
          ).toBe(true);
        }),
        { numRuns: RUNS_PER_ENDPOINT },
      );
    });

    it('rejects every prototype-polluting key at every object of the body, naming it', async () => {
      const objects = nodesOf(base).filter((n) => typeof n.value === 'object' && n.value !== null && !Array.isArray(n.value));
      const misses: string[] = [];
      for (const node of objects) {
        for (const key of PROTOTYPE_KEYS) {
          const body = edit(base, node.path, (old) => {
            Object.defineProperty(old, key, { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
            return old;
          });
          const text = JSON.stringify(body);
          expect(text).toContain(`"${key}":`);
          const answer = await post(w, op, text, 'application/json');
          const named = (answer.json?.invalid_params as Array<{ name: string }> | undefined)?.some((p) => p.name.includes(key)) ?? false;
          if (answer.status !== 400 || !named)
            misses.push(`${JSON.stringify(node.path)} ${key}: ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
      expect(misses).toEqual([]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    const brokenJson: ReadonlyArray<readonly [string, string | Uint8Array]> = [
      ['an empty body', ''],
      ['truncated JSON', JSON.stringify(base).slice(0, -1)],
      ['a trailing comma', '{"a":1,}'],
      ['single quotes', "{'a': 1}"],
      ['NaN', '{"a": NaN}'],
      ['garbage after the value', `${JSON.stringify(base)} x`],
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['an array for the body', JSON.stringify([base])],
      ['a string for the body', JSON.stringify('body')],
      ['a number for the body', '42'],
      ['null for the body', 'null'],
      ['nesting 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000)],
    ];
    it.each(brokenJson)('answers %s with 400 problem+json naming the body', async (_label, body) => {
      const answer = await post(w, op, body, 'application/json');
      expect(answer.status, answer.text.slice(0, 300)).toBe(400);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.json.invalid_params.map((p: { name: string }) => p.name)).toContain('$');
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['form encoding', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
      ['no content type', undefined],
    ] as const)('answers a valid body sent as %s with 415 problem+json', async (_label, type) => {
      const answer = await post(w, op, JSON.stringify(base), type);
      expect(answer.status, answer.text.slice(0, 300)).toBe(415);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    });
  });

  it('stored nothing: every table has the rows it had before', async () => {
    expect(await rowCounts(w)).toEqual(before);
  });

  describe('bad query strings and path ids', () => {
    const GETS = (OPERATIONS as readonly OperationSpec[]).filter((op) => op.method === 'GET');
    const queryKeys = (op: OperationSpec): string[] => {
      const shape = (op.query as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      return shape === undefined ? [] : Object.keys(shape);
    };
    const oddValue = fc.oneof(
      fc.constantFrom(
        '',
        '-1',
        '0',
        '101',
        '1e9',
        'NaN',
        'null',
        '[]',
        '{}',
        '%',
        '%00',
        'true',
        '9'.repeat(400),
        'bm90IGEgdG9rZW4',
        'eyJ4IjoxfQ',
        '2026-13-45',
        'PK-ZZ-XXX',
      ),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );

    it.each(GETS.map((op) => [op.id, op] as const))('%s: odd query parameters are answered without a 5xx', async (_id, op) => {
      const keys = queryKeys(op);
      const name =
        keys.length === 0
          ? fc.string({ minLength: 1, maxLength: 12 })
          : fc.oneof(fc.constantFrom(...keys), fc.string({ minLength: 1, maxLength: 12 }));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(name, oddValue), { minLength: 1, maxLength: 4 }), async (pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          const answer = await w.call('GET', `${pathOf(op)}?${qs}`, { key: keyFor(w, op) });
          const where = `?${qs}: ${answer.status} ${answer.text.slice(0, 200)}`;
          expect(answer.status, where).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(answer.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
            if (answer.status === 400) expect(answer.json?.invalid_params?.length, where).toBeGreaterThan(0);
          }
        }),
        { numRuns: 10 },
      );
    });

    const WITH_ID = (OPERATIONS as readonly OperationSpec[]).filter((op) => op.path.includes('{id}'));
    // '.' and '..' are not sent as ids: URL parsing removes them from the path before any server sees it.
    it.each(WITH_ID.map((op) => [op.id, op] as const))(
      '%s: ids that are not UUIDs (U+0000 included) answer 400/404 problem+json, never 5xx',
      async (_id, op) => {
        const oddId = fc
          .oneof(
            fc.constantFrom(
              '%00',
              '\u0000',
              'a\u0000b',
              'null',
              'undefined',
              '__proto__',
              'constructor',
              'x'.repeat(2_000),
              randomUUID().toUpperCase(),
              `{${randomUUID()}}`,
              `${randomUUID()}'--`,
            ),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
          )
          .filter((id) => id !== '.' && id !== '..');
        await fc.assert(
          fc.asyncProperty(oddId, async (id) => {
            const path = op.path.replace('{id}', encodeURIComponent(id));
            const body = op.request === undefined ? undefined : EXAMPLES[op.id];
            const answer = await w.call(op.method, path, { key: keyFor(w, op), ...(body === undefined ? {} : { body }) });
            const where = `${JSON.stringify(id)}: ${answer.status} ${answer.text.slice(0, 200)}`;
            expect([400, 404], where).toContain(answer.status);
            expect(answer.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
          }),
          { numRuns: 10 },
        );
      },
    );
  });

  describe('hostile but valid strings', () => {
    it('never answer 5xx, and what is accepted reads back unchanged', async () => {
      const report = EXAMPLES['reports.create'] as Json;
      const strings = nodesOf(report).filter((n) => typeof n.value === 'string' && n.path.length > 0 && n.path[0] !== 'id');
      const failures: string[] = [];
      for (const node of strings) {
        for (const hostile of HOSTILE_STRINGS) {
          const id = randomUUID();
          const body = edit(
            edit(report, node.path, (old) => `${String(old)}${hostile}`),
            ['id'],
            () => id,
          );
          const answer = await w.call('POST', '/v1/reports', { key: w.keys.test.A.intake, body });
          if (answer.status >= 500) failures.push(`${JSON.stringify(node.path)} + ${JSON.stringify(hostile)}: ${answer.status}`);
          else if (answer.status === 201) {
            const read = await w.call('GET', `/v1/reports/${id}`, { key: w.keys.test.A.intake });
            expect(read.status).toBe(200);
            expect(JSON.stringify(read.json)).toContain(JSON.stringify(`${String(node.value)}${hostile}`).slice(1, -1));
          } else {
            expect(answer.status).toBeLessThan(500);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
});
