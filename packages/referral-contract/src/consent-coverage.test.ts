import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentCovers, type ConsentForCoverage, type ReferralForCoverage } from './consent-coverage.js';
import { SERVICE_TYPES, type ServiceType } from './primitives.js';

const NOW = Date.UTC(2026, 10, 28, 12);
const uuid = fc.uuid({ version: 4 });
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const DAY = 86_400_000;

/** A consent that covers the referral, and the referral. */
const covering = fc
  .record({
    caseId: uuid,
    organizationId: uuid,
    otherOrganizations: fc.uniqueArray(uuid, { maxLength: 3 }),
    serviceType: fc.constantFrom(...SERVICE_TYPES),
    otherTypes: fc.uniqueArray(fc.constantFrom(...SERVICE_TYPES), { maxLength: 4 }),
    any: fc.boolean(),
    obtainedDaysAgo: fc.integer({ min: 0, max: 365 }),
    expiresInDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: null }),
  })
  .map((g) => {
    const referral: ReferralForCoverage = {
      case_id: g.caseId,
      service_type: g.serviceType,
      organization_id: g.organizationId,
    };
    const consent: ConsentForCoverage = {
      case_id: g.caseId,
      status: 'active',
      withdrawn_at: null,
      obtained_at: at(-g.obtainedDaysAgo * DAY),
      expires_at: g.expiresInDays === null ? null : at(g.expiresInDays * DAY),
      scope: {
        service_types: [...new Set<ServiceType>([g.serviceType, ...g.otherTypes])],
        organization_ids: g.any ? 'any' : [...g.otherOrganizations, g.organizationId],
      },
    };
    return { consent, referral };
  });

describe('consentCovers (property)', () => {
  const now = new Date(NOW);

  it('covers when the case matches, the consent is active and service type and organisation are in scope', () => {
    fc.assert(
      fc.property(covering, ({ consent, referral }) => {
        expect(consentCovers(consent, referral, now)).toBe(true);
      }),
    );
  });

  it('does not cover when any one condition fails', () => {
    fc.assert(
      fc.property(covering, uuid, fc.integer({ min: 0, max: 6 }), ({ consent, referral }, otherId, breakIt) => {
        let c: ConsentForCoverage = consent;
        let r: ReferralForCoverage = referral;
        switch (breakIt) {
          case 0:
            fc.pre(otherId !== referral.case_id);
            r = { ...referral, case_id: otherId };
            break;
          case 1:
            c = { ...consent, status: 'withdrawn', withdrawn_at: at(-1000) };
            break;
          case 2:
            c = { ...consent, status: 'expired', expires_at: at(-1000) };
            break;
          case 3:
            c = { ...consent, expires_at: at(0) };
            break;
          case 4:
            c = { ...consent, obtained_at: at(DAY) };
            break;
          case 5: {
            const outside = SERVICE_TYPES.find((t) => !consent.scope.service_types.includes(t));
            fc.pre(outside !== undefined);
            r = { ...referral, service_type: outside! };
            break;
          }
          case 6:
            fc.pre(consent.scope.organization_ids !== 'any' && !consent.scope.organization_ids.includes(otherId));
            r = { ...referral, organization_id: otherId };
            break;
        }
        expect(consentCovers(c, r, now)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('treats scope any as every organisation', () => {
    fc.assert(
      fc.property(covering, uuid, ({ consent, referral }, org) => {
        const any = { ...consent, scope: { ...consent.scope, organization_ids: 'any' as const } };
        expect(consentCovers(any, { ...referral, organization_id: org }, now)).toBe(true);
      }),
    );
  });
});
