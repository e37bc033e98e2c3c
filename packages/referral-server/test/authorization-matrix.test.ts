import { randomUUID } from 'node:crypto';
import { OPERATIONS, operationPath } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { type Cell, type FixtureKind, matrixCells, OPERATION_PLANS, targetOf } from './support/matrix-plan.js';
import { type Mode, type Side, SIDES, startWorld, type World } from './support/world.js';

/*
 * Every role (and a publishable key) x every operation x own / another organisation's / the other
 * mode's object x live / test key, over real HTTP, with the answer predicted from the contract's
 * tables. A failing cell names itself: "referrals.get | provider live key | other-org object → 404".
 */

const CELLS = matrixCells();

describe('the authorisation matrix plan', () => {
  it('covers every operation of the contract, every caller and both modes', () => {
    const planned = new Set(OPERATION_PLANS.map((p) => p.operationId));
    expect(OPERATIONS.map((op) => op.id).filter((id) => !planned.has(id))).toEqual([]);
    expect(new Set(CELLS.map((c) => c.name)).size).toBe(CELLS.length);
    // Every expected outcome occurs, so the matrix cannot pass by predicting one answer everywhere.
    expect(new Set(CELLS.map((c) => c.expected))).toEqual(new Set([200, 201, 204, 403, 404]));
  });
});

describeEachBackend('authorisation matrix', (backend) => {
  let w: World;
  const shared = new Map<string, Promise<string>>();

  async function fixture(kind: FixtureKind, side: Side, mode: Mode, fresh: boolean): Promise<string> {
    const make = async (): Promise<string> => {
      switch (kind) {
        case 'report':
          return w.make.report(side, mode);
        case 'case':
          return (await w.make.kase(side, mode)).caseId;
        case 'consent':
          return (await w.make.consent(side, mode)).consentId;
        case 'referral-draft':
          return (await w.make.referral(side, mode, 'draft')).referralId;
        case 'referral-requested':
          return (await w.make.referral(side, mode, 'requested')).referralId;
        case 'referral-completed':
          return (await w.make.referral(side, mode, 'completed')).referralId;
        case 'webhook':
          return (await w.make.webhook(side, mode)).id;
        case 'apiKey':
          return w.make.apiKey(side, mode);
        case 'service':
          return SIDES[side].service;
        case 'organization':
          return SIDES[side].provider;
        case 'org-mode':
          return `${side}:${mode}`;
        case 'org-side':
          return side;
      }
    };
    if (fresh) return make();
    const id = `${kind}:${side}:${mode}`;
    let made = shared.get(id);
    if (made === undefined) {
      made = make();
      shared.set(id, made);
    }
    return made;
  }

  beforeAll(async () => {
    w = await startWorld(backend);
  });
  afterAll(async () => w?.stop());

  it.each(CELLS.map((cell) => [cell.name, cell] as const))('%s', async (_name, cell: Cell) => {
    const { plan, caller, keyMode, scenario } = cell;
    const target = targetOf(scenario, keyMode);
    const objectId =
      plan.fixture === undefined
        ? undefined
        : await fixture(plan.fixture, target.side, target.mode, plan.consumes === true && cell.expected < 300);
    const request = await plan.request(w, objectId, keyMode, caller);
    const key = caller === 'publishable' ? w.publishable[keyMode] : w.keys[keyMode].A[caller];
    const answer = await w.call(plan.method, request.path, { key, ...(request.body === undefined ? {} : { body: request.body }) });
    expect(answer.status, `${plan.method} ${request.path}: ${answer.text.slice(0, 300)}`).toBe(cell.expected);
    if (answer.status >= 400) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.json).toMatchObject({ status: cell.expected });
    }
    if (cell.listed !== undefined && objectId !== undefined) {
      const items = await w.listItems(key, request.path);
      expect(
        items.some((item) => item.includes(objectId)),
        `${request.path} lists the ${scenario} ${plan.fixture ?? ''} ${objectId}: expected ${cell.listed ? 'listed' : 'hidden'}`,
      ).toBe(cell.listed);
    }
  });

  describe('without a valid key', () => {
    let revoked: string;
    beforeAll(async () => {
      const created = await w.call('POST', '/v1/keys', {
        key: w.keys.test.A.admin,
        body: { kind: 'secret', mode: 'test', organization_id: SIDES.A.intake, role: 'supervisor', name: 'to be revoked' },
      });
      expect(created.status).toBe(201);
      revoked = String(created.json.key);
      expect((await w.call('POST', `/v1/keys/${String(created.json.id)}/revoke`, { key: w.keys.test.A.admin })).status).toBe(200);
    });

    const variants = [
      ['no Authorization header', () => undefined],
      ['an unknown key', () => `tz_sk_test_${randomUUID().replaceAll('-', '')}`],
      ['a revoked key', () => revoked],
    ] as const;
    it.each(OPERATIONS.flatMap((op) => variants.map(([label, key]) => [`${op.id} with ${label} → 401`, op, key] as const)))(
      '%s',
      async (_name, op, key) => {
        const path = op.path.includes('{id}') ? operationPath(op, { id: randomUUID() }) : op.path;
        const k = key();
        const answer = await w.call(op.method, path, {
          ...(k === undefined ? {} : { key: k }),
          ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} }),
        });
        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      },
    );
  });
});
