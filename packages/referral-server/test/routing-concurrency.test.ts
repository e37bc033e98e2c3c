import type { RoutingTableUpdate } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS } from '../src/demo/seed-demo.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, startTestServer, type TestServer } from '../src/test-support/test-server.js';

/*
 * PUT /v1/routing replaces the whole table. Concurrent replacements (identical or different, with
 * reads in between) all answer 200, and the table left is exactly one of the tables sent — never
 * a mix of two, never a duplicate row — on both backends.
 */

const ORGS = [DEMO_ORGANIZATIONS.nationalIntake, DEMO_ORGANIZATIONS.punjabIntake, DEMO_ORGANIZATIONS.sindhIntake] as const;
const AREAS = ['PK-PB', 'PK-SD', 'PK-PB-LHR', 'PK-SD-KHI', 'PK-KP', 'PK-BA'] as const;

/** A routing table that differs with `n`: its default, which areas it lists and where they go. */
function tableNumber(n: number): RoutingTableUpdate {
  const pick = (i: number) => ORGS[i % ORGS.length] ?? DEMO_ORGANIZATIONS.nationalIntake;
  return {
    default_organization_id: pick(n),
    rules: AREAS.filter((_area, i) => ((n >> i) & 1) === 1 || i === n % AREAS.length).map((admin_area, i) => ({
      admin_area,
      organization_id: pick(n + i),
    })),
  };
}

/** A table as comparable text: the default and the rules sorted by area. */
function canonical(table: {
  default_organization_id: string;
  rules: ReadonlyArray<{ admin_area: string; organization_id: string }>;
}): string {
  const rules = [...table.rules]
    .sort((a, b) => a.admin_area.localeCompare(b.admin_area))
    .map((r) => `${r.admin_area}=${r.organization_id}`);
  return `${table.default_organization_id}|${rules.join(',')}`;
}

describeEachBackend('concurrent routing table updates', (backend) => {
  let t: TestServer;
  let admin: string;
  const put = (body: RoutingTableUpdate) => call(t.server.url, 'PUT', '/v1/routing', { key: admin, body });
  const get = () => call(t.server.url, 'GET', '/v1/routing', { key: admin });

  beforeAll(async () => {
    t = await startTestServer(backend);
    // The routing table is the operator's (docs/decisions/0015-operator-role.md).
    admin = t.liveKeys.secretKeys.operator;
  });
  afterAll(async () => t?.stop());

  it('six identical PUTs at once all answer 200 and leave that table', async () => {
    const table = tableNumber(5);
    const answers = await Promise.all(Array.from({ length: 6 }, () => put(table)));
    expect(
      answers.map((a) => a.status),
      answers.map((a) => a.text.slice(0, 200)).join('\n'),
    ).toEqual([200, 200, 200, 200, 200, 200]);
    for (const answer of answers) expect(canonical(answer.json)).toBe(canonical(table));
    const read = await get();
    expect(read.status).toBe(200);
    expect(canonical(read.json)).toBe(canonical(table));
  });

  it('rounds of different PUTs and reads at once: all 2xx, and the table left is exactly one of those sent', async () => {
    for (let round = 0; round < 3; round += 1) {
      const tables = Array.from({ length: 8 }, (_x, i) => tableNumber(round * 8 + i + 1));
      const sent = new Set(tables.map(canonical));
      const answers = await Promise.all([...tables.map(put), get(), get()]);
      expect(
        answers.map((a) => a.status),
        answers.map((a) => a.text.slice(0, 200)).join('\n'),
      ).toEqual(answers.map(() => 200));
      // Every answer (each PUT's own result, and each read) is a whole table, never a mix.
      for (const answer of answers.slice(0, tables.length)) expect(sent.has(canonical(answer.json)), canonical(answer.json)).toBe(true);
      const read = await get();
      expect(read.status).toBe(200);
      expect(sent.has(canonical(read.json)), canonical(read.json)).toBe(true);
      expect(new Set(read.json.rules.map((r: { admin_area: string }) => r.admin_area)).size).toBe(read.json.rules.length);
    }
  });
});
