import { describe, expect, it } from 'vitest';
import { getOperation } from './operations.js';
import { can, ROLES } from './permissions.js';
import { REFERRAL_STATUSES } from './referral.js';
import { isFinalReferralStatus } from './referral-transitions.js';
import {
  CASE_SUMMARY_STATUSES,
  ReferralCaseReportSchema,
  ReferralCaseSummarySchema,
  receiverSeesCaseSummary,
  sharesPreciseLocation,
} from './referral-case-summary.js';
import { SERVICE_TYPES } from './primitives.js';

const summary = {
  referral_id: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c',
  case_id: '5b1c3e0a-8f2d-4c6e-9a7b-2d4f6e8a0c1e',
  service_type: 'shelter',
  urgency: 'urgent',
  note: 'Two places needed tonight.',
  protection_concerns: ['bonded_labour'],
  child: { age_band: '12_to_14', languages: ['ur', 'pa'] },
  reports: [
    {
      reference: 'TZ-7K3M-Q9XD',
      categories: ['bonded_labour'],
      happening_now: true,
      location: { admin_area: 'PK-PB-KSR', place_type: 'brick_kiln' },
      victims: { count: 2, age_band: '12_to_14', indicators: ['debt'] },
      locale: 'ur',
      reporter_contact: { phone: '+92 300 0000000', safe_to_contact: true },
    },
  ],
};

describe('the referral case summary', () => {
  it('is read by the roles that read referrals, never by a publishable key', () => {
    const op = getOperation('referrals.case');
    expect(op).toMatchObject({ method: 'GET', path: '/v1/referrals/{id}/case', keys: ['secret'] });
    expect(ROLES.filter((role) => can(role, op.action))).toEqual(['caseworker', 'supervisor', 'provider']);
  });

  it('is visible to the receiving organisation exactly from the request until a final state', () => {
    const expected = REFERRAL_STATUSES.filter((status) => status !== 'draft' && !isFinalReferralStatus(status));
    expect(REFERRAL_STATUSES.filter(receiverSeesCaseSummary)).toEqual(expected);
    expect([...CASE_SUMMARY_STATUSES]).toEqual(expected);
  });

  it('shares the precise location with the police only', () => {
    expect(SERVICE_TYPES.filter(sharesPreciseLocation)).toEqual(['police']);
  });

  it('parses a summary and drops what it does not name (narrative, suspects, screening reason)', () => {
    const withExtras = {
      ...summary,
      screening_reason: 'not for providers',
      reports: [
        { ...summary.reports[0], narrative: 'not for providers', suspects: { description: 'x' }, reporter: { mode: 'confidential' } },
      ],
    };
    const parsed = ReferralCaseSummarySchema.parse(withExtras);
    expect(parsed).toEqual(summary);
    expect(JSON.stringify(parsed)).not.toContain('not for providers');
  });

  it('has no field for narratives, suspects, screening notes or the reporter mode', () => {
    const keys = [...Object.keys(ReferralCaseSummarySchema.def.shape), ...Object.keys(ReferralCaseReportSchema.def.shape)];
    for (const banned of ['narrative', 'suspects', 'screening_reason', 'reporter', 'closure_reason', 'risk_level'])
      expect(keys).not.toContain(banned);
  });

  it('takes a null contact and rejects a contact without any way to reach the reporter', () => {
    const report = summary.reports[0]!;
    expect(ReferralCaseReportSchema.safeParse({ ...report, reporter_contact: null }).success).toBe(true);
    expect(ReferralCaseReportSchema.safeParse({ ...report, reporter_contact: { safe_to_contact: true } }).success).toBe(false);
  });
});
