import type { Consent } from './consent.js';
import type { Referral } from './referral.js';

/** The consent fields coverage depends on. */
export type ConsentForCoverage = Pick<Consent, 'case_id' | 'scope' | 'status' | 'obtained_at' | 'expires_at' | 'withdrawn_at'>;
/** The referral fields coverage depends on. */
export type ReferralForCoverage = Pick<Referral, 'case_id' | 'service_type' | 'organization_id'>;

/**
 * Whether a consent covers a referral at `now`: same case, active (not withdrawn, obtained, not
 * expired), the referral's service type in scope, and its organisation in scope (or scope `any`).
 *
 * @example
 * ```ts
 * if (!consentCovers(consent, referral)) throw new Error('consent-required');
 * ```
 */
export function consentCovers(consent: ConsentForCoverage, referral: ReferralForCoverage, now: Date = new Date()): boolean {
  if (consent.case_id !== referral.case_id) return false;
  if (consent.status !== 'active' || consent.withdrawn_at !== null) return false;
  const at = now.getTime();
  if (Date.parse(consent.obtained_at) > at) return false;
  if (consent.expires_at !== null && Date.parse(consent.expires_at) <= at) return false;
  if (!consent.scope.service_types.includes(referral.service_type)) return false;
  const organizations = consent.scope.organization_ids;
  return organizations === 'any' || organizations.includes(referral.organization_id);
}
