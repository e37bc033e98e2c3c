import type { ReportCreate } from '@tahaffuz/referral-client';
import { generateEncryptionKey, seedDemo, startReferralServer, type DatabaseConfig, type ReferralServer } from '@tahaffuz/referral-server';

/** The settings every benchmark server runs with: the defaults, except logs off and rate limits raised. */
export async function startBenchServer(database: DatabaseConfig): Promise<{ server: ReferralServer; intakeKey: string }> {
  const server = await startReferralServer({
    database,
    port: 0,
    encryptionKey: generateEncryptionKey(),
    log: false,
    // Rate limiting stays on — its writes are part of each request — but 20 clients on one
    // address creating as fast as they can is the benchmark, not abuse.
    rateLimit: { perKey: { limit: 10_000_000, windowMs: 60_000 }, perClient: { limit: 10_000_000, windowMs: 60_000 } },
  });
  const { secretKeys } = await seedDemo(server.database.db);
  return { server, intakeKey: secretKeys.intake };
}

/** A valid report for `POST /v1/reports`, varied a little by `i`. */
export function benchReport(id: string, i: number): ReportCreate {
  return {
    id,
    categories: i % 3 === 0 ? ['bonded_labour', 'child_labour'] : ['child_trafficking'],
    happening_now: i % 2 === 0,
    location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
    victims: { count: 1 + (i % 4), age_band: '12_to_14', indicators: ['debt', 'cannot_leave'] },
    narrative: `Benchmark report ${i}: children at a kiln before dawn, an advance the family cannot repay.`,
    reporter: { mode: 'anonymous' },
    locale: 'en',
  };
}

/** `POST /v1/reports` with raw fetch; throws unless the server answers 201. */
export async function rawCreate(url: string, key: string, id: string, i: number): Promise<void> {
  const response = await fetch(`${url}/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `bench-${id}` },
    body: JSON.stringify(benchReport(id, i)),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${body.slice(0, 200)}`);
}
