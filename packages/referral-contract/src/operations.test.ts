import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowsPublishableKey,
  getOperation,
  matchOperation,
  needsIdempotencyKey,
  OPERATIONS,
  operationPath,
  type OperationSpec,
} from './operations.js';
import { ACTIONS, ROLES, can } from './permissions.js';
import { AuditEventSchema } from './audit-event.js';
import { IdSchema } from './primitives.js';

const operations = OPERATIONS as readonly OperationSpec[];

describe('OPERATIONS', () => {
  it('has unique ids and unique method + path pairs, all under /v1/', () => {
    expect(new Set(operations.map((op) => op.id)).size).toBe(operations.length);
    expect(new Set(operations.map((op) => `${op.method} ${op.path}`)).size).toBe(operations.length);
    for (const op of operations) expect(op.path).toMatch(/^\/v1\/[a-z-]+(\/(\{id\}|[a-z-]+))*$/);
  });

  it('covers every endpoint DESIGN.md and issue 2 name', () => {
    const expected = [
      'POST /v1/reports',
      'GET /v1/reports',
      'GET /v1/reports/{id}',
      'GET /v1/reports/{id}/history',
      'POST /v1/cases',
      'GET /v1/cases',
      'GET /v1/cases/{id}',
      'POST /v1/cases/{id}/transitions',
      'GET /v1/cases/{id}/history',
      'POST /v1/consents',
      'POST /v1/consents/{id}/withdraw',
      'GET /v1/consents',
      'GET /v1/organizations',
      'GET /v1/organizations/{id}',
      'POST /v1/organizations',
      'GET /v1/services',
      'GET /v1/services/{id}',
      'POST /v1/services',
      'POST /v1/services/{id}/capacity',
      'POST /v1/referrals',
      'GET /v1/referrals',
      'GET /v1/referrals/{id}',
      'POST /v1/referrals/{id}/transitions',
      'GET /v1/referrals/{id}/history',
      'GET /v1/referrals/{id}/case',
      'GET /v1/events',
      'POST /v1/webhooks',
      'GET /v1/webhooks',
      'DELETE /v1/webhooks/{id}',
      'POST /v1/webhooks/{id}/rotate-secret',
      'GET /v1/webhooks/{id}/deliveries',
      'GET /v1/stats/hotspots',
      'GET /v1/routing',
      'PUT /v1/routing',
    ];
    const actual = new Set(operations.map((op) => `${op.method} ${op.path}`));
    for (const endpoint of expected) expect(actual, endpoint).toContain(endpoint);
  });

  it('lets a publishable key create reports and nothing else', () => {
    expect(operations.filter(allowsPublishableKey).map((op) => op.id)).toEqual(['reports.create']);
  });

  it('names a known action for every operation, allowed to at least one role', () => {
    for (const op of operations) {
      expect(ACTIONS).toContain(op.action);
      expect(
        ROLES.some((role) => can(role, op.action)),
        op.id,
      ).toBe(true);
    }
  });

  it('has a request body exactly on POST and PUT with input, a response on everything but 204', () => {
    for (const op of operations) {
      if (op.request !== undefined) expect(['POST', 'PUT']).toContain(op.method);
      if (op.method === 'GET') expect(op.request).toBeUndefined();
      expect(op.response === undefined).toBe(op.status === 204);
      expect(needsIdempotencyKey(op)).toBe(op.method === 'POST');
    }
  });

  it('uses ids an audit event can record as its action', () => {
    const event = {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      occurred_at: '2026-11-28T09:30:00Z',
      actor: { key_id: null, organization_id: null, role: null },
      target: { type: 'report', id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      changed_fields: [],
      request_id: null,
    };
    for (const op of operations) expect(AuditEventSchema.safeParse({ ...event, action: op.id }).success, op.id).toBe(true);
    expect(AuditEventSchema.safeParse({ ...event, action: 'Reports.get' }).success).toBe(false);
  });

  it('finds an operation by id', () => {
    expect(getOperation('referrals.transition')).toMatchObject({ method: 'POST', path: '/v1/referrals/{id}/transitions' });
    expect(() => getOperation('nope' as never)).toThrow(/Unknown operation id: nope/);
  });
});

describe('matchOperation (property)', () => {
  it('matches the path built for every operation and gives back its id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...operations), fc.uuid({ version: 4 }), (op, id) => {
        const path = operationPath(op, { id });
        const match = matchOperation(op.method.toLowerCase(), path);
        expect(match.kind).toBe('match');
        if (match.kind === 'match') {
          expect(match.operation.id).toBe(op.id);
          expect(match.params.id).toBe(op.path.includes('{id}') ? id : undefined);
        }
      }),
    );
  });

  it('answers method-not-allowed with the allowed methods, and not-found for unknown paths', () => {
    expect(matchOperation('PATCH', '/v1/reports')).toEqual({ kind: 'method-not-allowed', allow: ['POST', 'GET'] });
    expect(matchOperation('GET', '/v1/nothing')).toEqual({ kind: 'not-found' });
    expect(matchOperation('GET', '/v1/reports/')).toEqual({ kind: 'not-found' });
    expect(matchOperation('GET', '/v1/reports/a/b/c')).toEqual({ kind: 'not-found' });
  });

  it('encodes the id, and matches no operation when the id is not a UUID', () => {
    const path = operationPath(getOperation('reports.get'), { id: 'a/b c' });
    expect(path).toBe('/v1/reports/a%2Fb%20c');
    expect(matchOperation('GET', path)).toEqual({ kind: 'not-found' });
    expect(matchOperation('GET', '/v1/referrals/%00/history')).toEqual({ kind: 'not-found' });
    expect(matchOperation('DELETE', '/v1/webhooks/%E0%A4%A')).toEqual({ kind: 'not-found' });
    const id = '6f1d2c3b-0000-4000-8000-000000000001';
    const upper = matchOperation('POST', `/v1/cases/${id.toUpperCase()}/transitions`);
    expect(upper.kind === 'match' && upper.params.id).toBe(id.toUpperCase());
    expect(() => operationPath(getOperation('reports.get'))).toThrow(/needs an id/);
  });

  it('answers not-found, never a match, for any {id} segment that is not a UUID (property)', () => {
    const withId = operations.filter((op) => op.path.includes('{id}'));
    fc.assert(
      fc.property(
        fc.constantFrom(...withId),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((s) => !IdSchema.safeParse(s).success && s !== '.' && s !== '..'),
        (op, id) => {
          const match = matchOperation(op.method, operationPath(op, { id }));
          expect(match.kind).not.toBe('match');
        },
      ),
    );
  });
});
