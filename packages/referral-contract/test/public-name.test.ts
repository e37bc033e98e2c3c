import { describe, expect, it } from 'vitest';
import { canTransition, ReportCreateSchema, ReportReceiptSchema, toInvalidParams, type ReportCreate } from '@tahaffuz/referral-contract';

describe('@tahaffuz/referral-contract by its public name', () => {
  it('validates a report the way a partner sends it', () => {
    const report: ReportCreate = {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      categories: ['bonded_labour'],
      happening_now: true,
      location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
      reporter: { mode: 'anonymous' },
      locale: 'ur',
    };
    expect(ReportCreateSchema.safeParse(report).success).toBe(true);
    const receipt = { id: report.id, reference: 'TZ-7K3M-Q9XD', received_at: '2026-11-28T09:30:00Z' };
    expect(ReportReceiptSchema.parse(receipt)).toEqual(receipt);
  });

  it('names the field an anonymous report must not carry', () => {
    const result = ReportCreateSchema.safeParse({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      categories: ['bonded_labour'],
      happening_now: false,
      location: { admin_area: 'PK-SD' },
      reporter: { mode: 'anonymous', contact: { phone: '+923001234567', safe_to_contact: true } },
      locale: 'en',
    });
    expect(result.success).toBe(false);
    expect(toInvalidParams(result.error!)).toEqual([{ name: 'reporter.contact', reason: 'unknown field' }]);
  });

  it('exposes the referral state machine', () => {
    expect(canTransition('requested', 'accepted')).toBe(true);
    expect(canTransition('completed', 'in_progress')).toBe(false);
  });
});
