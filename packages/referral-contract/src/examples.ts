import type { OperationId } from './operations.js';

const CASE_ID = '5b1c3e0a-8f2d-4c6e-9a7b-2d4f6e8a0c1e';
const REPORT_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SERVICE_ID = '9c2e4a6b-1d3f-4b5a-8c7d-0e2f4a6b8c9d';
const ORGANIZATION_ID = '3a5c7e9b-2d4f-4a6c-8e0b-1c3e5a7c9e2f';
const INTAKE_ORGANIZATION_ID = '7e9a1c3e-5b7d-4f9a-b1c3-e5a7c9e1b3d5';

/**
 * A realistic request body for every operation that takes one, used in the OpenAPI document
 * (and checked against the schemas by the tests). The people in them are invented.
 */
export const REQUEST_EXAMPLES = {
  'reports.create': {
    id: REPORT_ID,
    categories: ['bonded_labour', 'child_labour'],
    happening_now: true,
    location: {
      admin_area: 'PK-PB-KSR',
      place_type: 'brick_kiln',
      landmark: 'Kiln beside the canal road, two km past the bus stop',
      coordinates: { latitude: 31.12, longitude: 74.45 },
    },
    when: { first_seen: 'past_month', ongoing: true },
    victims: {
      count: 6,
      age_band: '5_to_11',
      genders: ['female', 'male'],
      indicators: ['debt', 'cannot_leave', 'not_in_school'],
    },
    suspects: { description: 'The kiln owner and his munshi, who keeps the debt book.' },
    narrative:
      'A family of seven works at the kiln to pay back an advance. The children mould bricks from dawn and have not been to school this year.',
    reporter: {
      mode: 'confidential',
      contact: { name: 'Ayesha', phone: '+92 300 1234567', safe_to_contact: true, preferred_language: 'ur' },
      relationship: 'teacher',
    },
    locale: 'ur',
    channel: 'web_form',
  },
  'cases.open': {
    report_ids: [REPORT_ID],
    screening_outcome: 'screened_in',
    screening_reason: 'Children in debt bondage at a kiln; indicators of bonded labour confirmed by call-back.',
    protection_concerns: ['bonded_labour', 'child_labour'],
    risk_level: 'high',
    child: { age_band: '5_to_11', gender: 'female', languages: ['pa', 'ur'], needs: ['shelter', 'education'] },
  },
  'cases.transition': { to: 'assessment', reason: 'Screening complete; home visit scheduled.' },
  'consents.create': {
    case_id: CASE_ID,
    grantor: 'guardian',
    basis: 'consent',
    scope: { service_types: ['shelter', 'education', 'legal_aid'], organization_ids: 'any' },
    obtained_at: '2026-11-20T10:15:00Z',
    expires_at: '2027-05-20T10:15:00Z',
  },
  'consents.withdraw': { reason: 'The guardian withdrew consent during the home visit.' },
  'organizations.create': {
    name: 'Punjab Child Protection & Welfare Bureau, Kasur',
    kind: 'government',
    description: 'Provincial child-protection bureau: intake, rescue and shelter for children at risk.',
    url: 'https://example.org/cpwb-kasur',
    email: 'intake@example.org',
    phone: '+92 49 1234567',
    admin_areas: ['PK-PB-KSR'],
  },
  'services.create': {
    organization_id: ORGANIZATION_ID,
    name: 'Child protection shelter, Kasur',
    description: 'Short-stay shelter for children removed from exploitation, with counselling.',
    service_type: 'shelter',
    coverage: ['PK-PB-KSR', 'PK-PB-LHR'],
    languages: ['ur', 'pa', 'en'],
    age_min: 5,
    age_max: 17,
    genders: ['female', 'male'],
    capacity: 'available',
    confidential_address: true,
    address: { address_1: 'Street 4, Block B', city: 'Kasur', region: 'Punjab', country: 'PK', admin_area: 'PK-PB-KSR' },
    phone: '+92 49 7654321',
  },
  'services.updateCapacity': { capacity: 'waitlist', available_places: 0 },
  'referrals.create': {
    case_id: CASE_ID,
    service_id: SERVICE_ID,
    urgency: 'urgent',
    note: 'Two girls, 8 and 10, need shelter after removal from the kiln tonight.',
  },
  'referrals.transition': { to: 'rejected', reason: 'at_capacity' },
  'webhooks.create': {
    url: 'https://cms.example.org/hooks/tahaffuz',
    event_types: ['referral.accepted', 'referral.rejected', 'referral.completed'],
    description: 'Case-management system',
  },
  'routing.update': {
    default_organization_id: INTAKE_ORGANIZATION_ID,
    rules: [
      { admin_area: 'PK-PB', organization_id: ORGANIZATION_ID },
      { admin_area: 'PK-SD', organization_id: INTAKE_ORGANIZATION_ID },
    ],
  },
  'keys.create': {
    kind: 'publishable',
    mode: 'live',
    organization_id: INTAKE_ORGANIZATION_ID,
    name: 'Report form on the bureau website',
    allowed_origins: ['https://cpwb.example.org'],
  },
  'erasures.create': {
    target_type: 'report',
    target_id: REPORT_ID,
    reason: 'Retention period ended for this screened-out report.',
  },
} as const satisfies Partial<Record<OperationId, unknown>>;
