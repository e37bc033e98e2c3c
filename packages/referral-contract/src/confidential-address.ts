import type { Role } from './permissions.js';
import type { ReferralStatus } from './referral.js';

/**
 * The states of a referral in which its referring organisation may read the confidential address
 * of the service it refers to: only once the service's organisation has accepted it, and until the
 * referral ends. Requested is not enough — anyone who may create a referral could request one.
 */
export const CONFIDENTIAL_ADDRESS_STATUSES = ['accepted', 'in_progress', 'on_hold'] as const satisfies readonly ReferralStatus[];

/** The roles of the referring organisation that may read a confidential address: the people who take the child there. */
export const CONFIDENTIAL_ADDRESS_ROLES = ['caseworker', 'supervisor'] as const satisfies readonly Role[];

/**
 * Whether a key of the referring organisation, in `role`, reads the confidential address of the
 * service its referral in `status` goes to (the key's mode must be the referral's: test and live
 * never see each other's referrals). The service's own organisation always reads its address.
 *
 * @example
 * ```ts
 * referrerSeesConfidentialAddress('caseworker', 'accepted'); // true
 * referrerSeesConfidentialAddress('caseworker', 'requested'); // false
 * referrerSeesConfidentialAddress('intake', 'in_progress'); // false
 * ```
 */
export function referrerSeesConfidentialAddress(role: Role, status: ReferralStatus): boolean {
  return (
    (CONFIDENTIAL_ADDRESS_ROLES as readonly Role[]).includes(role) &&
    (CONFIDENTIAL_ADDRESS_STATUSES as readonly ReferralStatus[]).includes(status)
  );
}
