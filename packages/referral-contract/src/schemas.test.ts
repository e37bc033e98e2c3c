import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { OPERATIONS, type OperationSpec } from './operations.js';
import { REQUEST_EXAMPLES } from './examples.js';
import { ReportCreateSchema, ReportSchema } from './report.js';
import { formatPath, toInvalidParams } from './invalid-params.js';
import { HotspotQuerySchema, HotspotRowSchema } from './hotspot-stats.js';
import { ReportListQuerySchema } from './report.js';
import {
  caseOpen,
  consentCreate,
  leafPaths,
  objectPaths,
  referralTransition,
  reportCreate,
  withAt,
  withKeyAt,
  wrongType,
} from '../test/arbitraries.js';
import { CaseOpenSchema } from './case.js';
import { ConsentCreateSchema } from './consent.js';
import { ReferralTransitionSchema } from './referral.js';

const withRequest = (OPERATIONS as readonly OperationSpec[]).filter(
  (op): op is OperationSpec & { request: z.core.$ZodType } => op.request !== undefined,
);

function namesOf(schema: z.core.$ZodType, input: unknown): string[] | undefined {
  const result = z.safeParse(schema, input);
  return result.success ? undefined : toInvalidParams(result.error).map((p) => p.name);
}

/** The seeds of the mutation tests: a request body for every operation and generated reports. */
const generated = fc.oneof(
  reportCreate.map((value) => ({ schema: ReportCreateSchema as z.core.$ZodType, value: value as unknown })),
  caseOpen.map((value) => ({ schema: CaseOpenSchema as z.core.$ZodType, value: value as unknown })),
  consentCreate.map((value) => ({ schema: ConsentCreateSchema as z.core.$ZodType, value: value as unknown })),
  referralTransition.map((value) => ({ schema: ReferralTransitionSchema as z.core.$ZodType, value: value as unknown })),
);

const seeds = fc.oneof(
  fc.constantFrom(...withRequest).map((op) => ({
    schema: op.request,
    value: (REQUEST_EXAMPLES as Record<string, unknown>)[op.id],
  })),
  generated,
);

describe('request schemas (property)', () => {
  it('accept every generated valid report, case, consent and transition', () => {
    fc.assert(
      fc.property(generated, ({ schema, value }) => {
        expect(namesOf(schema, value)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('reject a wrong type anywhere, naming that path', () => {
    fc.assert(
      fc.property(seeds, fc.nat(), fc.nat(), ({ schema, value }, pathPick, typePick) => {
        const paths = leafPaths(value);
        const path = paths[pathPick % paths.length]!;
        const mutated = withAt(value, path, (old) => wrongType(old, typePick));
        const names = namesOf(schema, mutated);
        expect(names, `${formatPath(path)} accepted a wrong type`).toBeDefined();
        // A wrong discriminator (`reporter.mode`, `kind`) is reported on the union itself.
        const accepted = [formatPath(path)];
        if (path.at(-1) === 'mode' || path.at(-1) === 'kind') accepted.push(formatPath(path.slice(0, -1)));
        expect(
          names!.some((name) => accepted.includes(name)),
          `${names!.join(', ')} vs ${accepted.join(', ')}`,
        ).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('reject an unknown key (including __proto__) on every object, naming it', () => {
    fc.assert(
      fc.property(
        seeds,
        fc.nat(),
        fc.constantFrom('__proto__', 'constructor', 'status', 'created_at', 'x-extra', 'reference'),
        ({ schema, value }, pick, key) => {
          const paths = objectPaths(value);
          const path = paths[pick % paths.length]!;
          const target = path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], value);
          fc.pre(!Object.hasOwn(target as object, key));
          const names = namesOf(schema, withKeyAt(value, path, key, { polluted: true }));
          expect(names).toContain(formatPath([...path, key]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reject null and a missing value for every required field of a report', () => {
    for (const key of ['id', 'categories', 'happening_now', 'location', 'reporter', 'locale'] as const) {
      const report = REQUEST_EXAMPLES['reports.create'];
      expect(namesOf(ReportCreateSchema, { ...report, [key]: null })).toContain(key);
      const { [key]: _removed, ...rest } = report;
      expect(namesOf(ReportCreateSchema, rest)).toContain(key);
    }
  });
});

describe('reporter modes', () => {
  it('reject any identity or contact on an anonymous reporter', () => {
    fc.assert(
      fc.property(
        reportCreate,
        fc.constantFrom('contact', 'name', 'phone', 'email', 'relationship'),
        fc.oneof(fc.string(), fc.record({ phone: fc.constant('+923001234567'), safe_to_contact: fc.boolean() })),
        (report, key, value) => {
          const names = namesOf(ReportCreateSchema, { ...report, reporter: { mode: 'anonymous', [key]: value } });
          expect(names).toContain(`reporter.${key}`);
        },
      ),
    );
  });

  it('require contact details for confidential and share reporters', () => {
    const report = REQUEST_EXAMPLES['reports.create'];
    for (const mode of ['confidential', 'share'] as const) {
      expect(namesOf(ReportCreateSchema, { ...report, reporter: { mode } })).toContain('reporter.contact');
      expect(namesOf(ReportCreateSchema, { ...report, reporter: { mode, contact: { safe_to_contact: true } } })).toContain(
        'reporter.contact',
      );
    }
  });

  it('keep coordinates coarse (two decimals at most)', () => {
    const report = REQUEST_EXAMPLES['reports.create'];
    const precise = { ...report, location: { ...report.location, coordinates: { latitude: 31.1234, longitude: 74.45 } } };
    expect(namesOf(ReportCreateSchema, precise)).toEqual(['location.coordinates.latitude']);
  });

  it('reject the same category twice, naming the repeat', () => {
    const report = { ...REQUEST_EXAMPLES['reports.create'], categories: ['bonded_labour', 'other', 'bonded_labour'] };
    expect(namesOf(ReportCreateSchema, report)).toEqual(['categories[2]']);
  });

  it('accept a stored report with server fields, and ignore fields added later by a newer server', () => {
    const stored = {
      ...REQUEST_EXAMPLES['reports.create'],
      reference: 'TZ-7K3M-Q9XD',
      received_at: '2026-11-28T09:30:00Z',
      updated_at: '2026-11-28T09:30:00Z',
      organization_id: '7e9a1c3e-5b7d-4f9a-b1c3-e5a7c9e1b3d5',
      case_ids: [],
      added_in_v1_1: true,
    };
    expect(ReportSchema.safeParse(stored).success).toBe(true);
    expect(namesOf(ReportSchema, { ...stored, reference: 'TZ-ILOU-1234' })).toEqual(['reference']);
  });
});

describe('list queries', () => {
  it('coerce page_size from a query string, default it to 50 and keep it within 1..100', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.boolean(), (size, asString) => {
        const result = ReportListQuerySchema.safeParse({ page_size: asString ? String(size) : size });
        expect(result.success).toBe(size >= 1 && size <= 100);
        if (result.success) expect(result.data.page_size).toBe(size);
      }),
    );
    expect(ReportListQuerySchema.parse({}).page_size).toBe(50);
    expect(namesOf(ReportListQuerySchema, { page_size: '2.5' })).toEqual(['page_size']);
  });
});

describe('hotspot stats', () => {
  it('accept a period only in the shape of its bucket', () => {
    const periods = {
      month: fc
        .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
      quarter: fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 4 })).map(([y, q]) => `${y}-Q${q}`),
      year: fc.integer({ min: 2000, max: 2099 }).map(String),
    };
    const buckets = ['month', 'quarter', 'year'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...buckets), fc.constantFrom(...buckets), fc.nat(), (bucket, shape, seed) => {
        const period = fc.sample(periods[shape], { seed, numRuns: 1 })[0]!;
        const result = HotspotQuerySchema.safeParse({ bucket, period });
        expect(result.success).toBe(bucket === shape);
        if (!result.success) expect(toInvalidParams(result.error).map((p) => p.name)).toEqual(['period']);
      }),
    );
  });

  it('never carries a count on a suppressed row', () => {
    const row = { admin_area: 'PK-PB-KSR', category: 'bonded_labour' };
    expect(HotspotRowSchema.safeParse({ ...row, count: null, suppressed: true }).success).toBe(true);
    expect(HotspotRowSchema.safeParse({ ...row, count: 3, suppressed: true }).success).toBe(false);
    expect(HotspotRowSchema.safeParse({ ...row, count: null, suppressed: false }).success).toBe(false);
  });
});
