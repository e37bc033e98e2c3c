import { describe, expect, it } from 'vitest';
import { CONFIDENTIAL_ADDRESS_STATUSES, referrerSeesConfidentialAddress } from './confidential-address.js';
import { ROLES } from './permissions.js';
import { REFERRAL_STATUSES } from './referral.js';

describe('referrerSeesConfidentialAddress', () => {
  it('holds for caseworkers and supervisors in accepted, in_progress and on_hold only', () => {
    const seen = ROLES.flatMap((role) =>
      REFERRAL_STATUSES.filter((status) => referrerSeesConfidentialAddress(role, status)).map((status) => `${role}:${status}`),
    );
    expect(seen.sort()).toEqual(
      ['caseworker', 'supervisor'].flatMap((role) => CONFIDENTIAL_ADDRESS_STATUSES.map((status) => `${role}:${status}`)).sort(),
    );
    // A referral merely requested is not enough: the shelter has not said yes.
    expect(referrerSeesConfidentialAddress('caseworker', 'requested')).toBe(false);
    expect(referrerSeesConfidentialAddress('admin', 'accepted')).toBe(false);
    expect(referrerSeesConfidentialAddress('intake', 'accepted')).toBe(false);
  });
});
