/**
 * Response bodies as the reference server answers them, one per resource, for the scripted
 * fixture. The client validates every answer against the contract, so a contract change that
 * these samples no longer meet fails the resource tests.
 */
export const IDS = {
  report: '0f8fad5b-d9cb-469f-a165-70867728950e',
  case: '5b1c3e0a-8f2d-4c6e-9a7b-2d4f6e8a0c1e',
  consent: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  organization: '3a5c7e9b-2d4f-4a6c-8e0b-1c3e5a7c9e2f',
  intake: '7e9a1c3e-5b7d-4f9a-b1c3-e5a7c9e1b3d5',
  service: '9c2e4a6b-1d3f-4b5a-8c7d-0e2f4a6b8c9d',
  referral: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c',
  event: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  audit: '8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d',
  webhook: '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f',
  delivery: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  key: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
  erasure: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
} as const;

const AT = '2026-11-20T10:15:00Z';

/** A report as a caller submits it (anonymous: no contact). */
export const reportInput = {
  categories: ['bonded_labour', 'child_labour'],
  happening_now: true,
  location: { admin_area: 'PK-PB-KSR', place_type: 'brick_kiln' },
  when: { first_seen: 'past_month', ongoing: true },
  victims: { count: 6, age_band: '5_to_11', indicators: ['debt', 'cannot_leave'] },
  reporter: { mode: 'anonymous' },
  locale: 'ur',
} as const;

export const receipt = { id: IDS.report, reference: 'TZ-7K3M-Q9XD', received_at: AT };

export const report = {
  ...reportInput,
  id: IDS.report,
  channel: 'api',
  reference: 'TZ-7K3M-Q9XD',
  received_at: AT,
  updated_at: AT,
  organization_id: IDS.intake,
  case_ids: [],
};

export const kase = {
  id: IDS.case,
  organization_id: IDS.intake,
  status: 'open',
  stage: 'screening',
  report_ids: [IDS.report],
  screening_outcome: 'screened_in',
  screening_reason: 'Indicators of bonded labour confirmed by call-back.',
  protection_concerns: ['bonded_labour'],
  risk_level: 'high',
  child: null,
  closure_reason: null,
  created_at: AT,
  updated_at: AT,
  closed_at: null,
};

export const consent = {
  id: IDS.consent,
  case_id: IDS.case,
  organization_id: IDS.intake,
  grantor: 'guardian',
  basis: 'consent',
  scope: { service_types: ['shelter'], organization_ids: 'any' },
  status: 'active',
  obtained_at: AT,
  expires_at: null,
  withdrawn_at: null,
  withdrawal_reason: null,
  created_at: AT,
};

export const organization = {
  id: IDS.organization,
  name: 'Child Protection Bureau, Kasur',
  kind: 'government',
  description: null,
  url: null,
  email: null,
  phone: null,
  admin_areas: ['PK-PB-KSR'],
  created_at: AT,
  updated_at: AT,
};

export const service = {
  id: IDS.service,
  organization_id: IDS.organization,
  name: 'Shelter, Kasur',
  description: null,
  service_type: 'shelter',
  status: 'active',
  coverage: ['PK-PB-KSR'],
  languages: ['ur', 'pa'],
  age_min: 5,
  age_max: 17,
  genders: ['female'],
  capacity: 'available',
  available_places: 4,
  capacity_updated_at: AT,
  confidential_address: true,
  address: null,
  phone: null,
  email: null,
  url: null,
  created_at: AT,
  updated_at: AT,
};

export const referral = {
  id: IDS.referral,
  case_id: IDS.case,
  service_id: IDS.service,
  service_type: 'shelter',
  organization_id: IDS.organization,
  referring_organization_id: IDS.intake,
  status: 'requested',
  status_reason: null,
  urgency: 'urgent',
  note: null,
  consent_id: IDS.consent,
  consent_override: null,
  created_at: AT,
  updated_at: AT,
  requested_at: AT,
};

export const referralCaseSummary = {
  referral_id: IDS.referral,
  case_id: IDS.case,
  service_type: 'shelter',
  urgency: 'urgent',
  note: 'Two places needed tonight.',
  protection_concerns: ['bonded_labour', 'child_labour'],
  child: { age_band: '12_to_14', languages: ['ur', 'pa'] },
  reports: [
    {
      reference: 'TZ-7K3M-Q9XD',
      categories: ['bonded_labour'],
      happening_now: true,
      location: { admin_area: 'PK-PB-KSR', place_type: 'brick_kiln' },
      victims: { count: 6, age_band: '5_to_11', indicators: ['debt', 'cannot_leave'] },
      locale: 'ur',
      reporter_contact: { phone: '+92 300 1234567', safe_to_contact: true },
    },
  ],
};

export const auditEvent = {
  id: IDS.audit,
  occurred_at: AT,
  actor: { key_id: IDS.key, organization_id: IDS.intake, role: 'caseworker' },
  action: 'case.read',
  target: { type: 'case', id: IDS.case },
  changed_fields: [],
  request_id: 'req_1',
};

export const event = {
  id: IDS.event,
  type: 'referral.accepted',
  created_at: AT,
  data: { referral_id: IDS.referral, case_id: IDS.case },
};

export const webhook = {
  id: IDS.webhook,
  organization_id: IDS.intake,
  url: 'https://cms.example.org/hooks/tahaffuz',
  event_types: ['referral.accepted'],
  description: null,
  status: 'enabled',
  paused_reason: null,
  created_at: AT,
  updated_at: AT,
};

export const webhookCreated = { ...webhook, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };

export const delivery = {
  id: IDS.delivery,
  subscription_id: IDS.webhook,
  event_id: IDS.event,
  event_type: 'referral.accepted',
  status: 'succeeded',
  attempts: 1,
  last_response_status: 204,
  last_error: null,
  created_at: AT,
  last_attempt_at: AT,
  next_attempt_at: null,
  delivered_at: AT,
};

export const hotspots = {
  bucket: 'quarter',
  period: '2026-Q4',
  kind: 'reports',
  threshold: 5,
  generated_at: AT,
  rows: [
    { admin_area: 'PK-PB-KSR', category: 'bonded_labour', count: 12, suppressed: false },
    { admin_area: 'PK-PB-LHR', category: 'bonded_labour', count: null, suppressed: true },
  ],
};

export const routing = {
  default_organization_id: IDS.intake,
  rules: [{ admin_area: 'PK-PB', organization_id: IDS.organization }],
  updated_at: AT,
};

export const apiKey = {
  id: IDS.key,
  kind: 'secret',
  mode: 'test',
  organization_id: IDS.intake,
  name: 'Case-management system',
  role: 'caseworker',
  allowed_origins: [],
  last4: 'a1b2',
  created_at: AT,
  revoked_at: null,
};

export const erasure = { id: IDS.erasure, target_type: 'report', target_id: IDS.report, erased_at: AT };

/** A list page of the given items. */
export function page<T>(data: T[], next: string | null = null) {
  return { data, next_page_token: next };
}
