import type { Referral, Report } from '@tahaffuz/referral-contract';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { ReportsTable } from '../storage/schema.js';

/*
 * The stored shapes of sealed free text that several layers read and write: the routes, erasure
 * and the data migrations that sealed what earlier versions kept in clear.
 */

/** Who overrode consent and when; the reason is sealed apart, in `consent_override_reason_enc`. */
interface StoredConsentOverride {
  key_id: string;
  at: string;
  /** Plaintext, in rows written before the reason was encrypted (data migration `0005_seal_free_text` seals it). */
  reason?: string;
}

/** The stored `data` column of a referral. */
export interface ReferralData {
  urgency: Referral['urgency'];
  note_enc: string | null;
  status_reason_enc: string | null;
  consent_override: StoredConsentOverride | null;
  /** Ciphertext of the consent-override reason (absent in rows from before it was encrypted). */
  consent_override_reason_enc?: string | null;
  requested_at: string | null;
}

/** The AAD context of a referral's consent-override reason. */
export function consentOverrideReasonContext(referralId: string): string {
  return `referrals.consent_override_reason:${referralId}`;
}

/** What of a report's location a person typed or picked: sealed in `location_enc`, never in `details`. */
export type StoredLocationText = Pick<Report['location'], 'landmark' | 'coordinates'>;

/** The AAD context of a report's sealed location. */
export function reportLocationContext(reportId: string): string {
  return `reports.location:${reportId}`;
}

/** The sealed part of a location, or undefined when it has none. */
export function locationTextOf(location: Report['location']): StoredLocationText | undefined {
  if (location.landmark === undefined && location.coordinates === undefined) return undefined;
  return {
    ...(location.landmark === undefined ? {} : { landmark: location.landmark }),
    ...(location.coordinates === undefined ? {} : { coordinates: location.coordinates }),
  };
}

/** A location without what {@link locationTextOf} seals. */
export function clearLocationOf(location: Report['location']): Report['location'] {
  const { landmark: _landmark, coordinates: _coordinates, ...clear } = location;
  return clear;
}

/**
 * The location of a stored report: the clear part from `details`, the sealed part from
 * `location_enc` (rows from before migration 0005 may still carry it in `details`).
 */
export function storedLocation(cipher: FieldCipher, row: Pick<ReportsTable, 'id' | 'details' | 'location_enc'>): Report['location'] {
  const details = JSON.parse(row.details) as { location: Report['location'] };
  if (row.location_enc === null) return details.location;
  const sealed = JSON.parse(cipher.decrypt(row.location_enc, reportLocationContext(row.id))) as StoredLocationText;
  return { ...details.location, ...sealed };
}
