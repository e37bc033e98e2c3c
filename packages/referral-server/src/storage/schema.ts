import type { WebhookFailureCategory } from '@tahaffuz/referral-contract';
import type { Generated } from 'kysely';

/*
 * Row types of the referral server's tables. The same tables and column types exist on SQLite and
 * PostgreSQL: timestamps are RFC 3339 UTC text (ISO strings compare in time order), booleans are
 * 0/1 integers, structured non-personal fields are JSON text, personal fields are ciphertext text.
 */

/** `live` or `test`: test keys see only test rows, live keys only live rows. */
export type Mode = 'live' | 'test';

export interface ApiKeysTable {
  id: string;
  kind: 'secret' | 'publishable';
  mode: Mode;
  /** The last four characters of the key, shown in listings so a person can tell keys apart. */
  last4: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  hash: string;
  organization_id: string;
  name: string;
  role: string | null;
  /** JSON array of origins a publishable key answers browsers from. */
  allowed_origins: string;
  created_at: string;
  revoked_at: string | null;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  /** JSON object with the HSDS-shaped fields that are not columns. */
  data: string;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface ServicesTable {
  id: string;
  organization_id: string;
  service_type: string;
  capacity: string;
  /** JSON array of admin-area codes the service covers. */
  coverage: string;
  data: string;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

/**
 * A service's capacity in one mode other than live (live capacity is the service row's own):
 * test keys update and read this, so they never change what live keys see.
 */
export interface ServiceCapacityTable {
  service_id: string;
  mode: string;
  capacity: string;
  available_places: number | null;
  updated_at: string;
}

export interface RoutingTable {
  /** Admin-area code, or `*` for the national default. */
  admin_area: string;
  organization_id: string;
  updated_at: string;
}

export interface ReportsTable {
  /** The client-generated UUID, unique forever. */
  id: string;
  reference: string;
  mode: Mode;
  routed_organization_id: string;
  /** SHA-256 of the canonical JSON of the submitted body: the same id with another body is a conflict. */
  body_hash: string;
  api_key_id: string;
  admin_area: string | null;
  categories: string;
  reporter_mode: string;
  /** JSON of the non-personal fields. */
  details: string;
  /** AES-256-GCM ciphertext of the free text (narrative, suspects' description) as JSON. */
  free_text_enc: string | null;
  /** AES-256-GCM ciphertext of the reporter's identity and contact. */
  reporter_enc: string | null;
  /** Ciphertext of the location a person typed or picked (landmark, coarse coordinates) as JSON. */
  location_enc: string | null;
  received_at: string;
  erased_at: string | null;
}

export interface CasesTable {
  id: string;
  mode: Mode;
  organization_id: string;
  status: string;
  stage: string;
  data: string;
  /** Ciphertext of the case's free text (screening and closure reasons) as JSON. */
  free_text_enc: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  erased_at: string | null;
}

interface CaseReportsTable {
  case_id: string;
  report_id: string;
}

export interface ConsentsTable {
  id: string;
  mode: Mode;
  case_id: string;
  organization_id: string;
  grantor: string;
  basis: string;
  status: string;
  /** JSON: service types and organisations (or any) the consent covers. */
  scope: string;
  obtained_at: string;
  expires_at: string | null;
  withdrawn_at: string | null;
  withdrawal_reason_enc: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReferralsTable {
  id: string;
  mode: Mode;
  case_id: string;
  referring_organization_id: string;
  receiving_organization_id: string;
  service_id: string;
  service_type: string;
  status: string;
  consent_id: string | null;
  data: string;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  id: string;
  mode: Mode;
  at: string;
  actor_key_id: string | null;
  actor_organization_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON array of field names (never values). */
  changed_fields: string;
  request_id: string | null;
}

export interface EventsTable {
  /** Monotonic sequence: the `after=` cursor of the events feed. */
  seq: Generated<number>;
  id: string;
  mode: Mode;
  type: string;
  /** JSON array of the organisations that may see the event. */
  organization_ids: string;
  /** JSON of ids only. */
  data: string;
  created_at: string;
}

export interface WebhookSubscriptionsTable {
  id: string;
  mode: Mode;
  organization_id: string;
  url: string;
  event_types: string;
  description: string | null;
  status: 'enabled' | 'disabled' | 'paused';
  /** Why it is paused; null unless paused. */
  paused_reason: 'refused_target' | 'failing' | null;
  /** When a circuit-breaker pause ends; null for a pause held for good (a refused target). */
  paused_until: string | null;
  /** Failed delivery attempts in a row (the circuit breaker's count); 0 after a success. */
  consecutive_failures: number;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface WebhookOutboxTable {
  id: string;
  subscription_id: string;
  event_id: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_response_status: number | null;
  last_error: WebhookFailureCategory | null;
  last_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

interface WebhookDeliveriesTable {
  id: string;
  outbox_id: string;
  subscription_id: string;
  attempted_at: string;
  status_code: number | null;
  error: WebhookFailureCategory | null;
  duration_ms: number;
}

export interface IdempotencyKeysTable {
  /** The API key id the key belongs to. */
  scope: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  /** Random token of the request that holds the lease: only it may complete the record. */
  lease_token: string;
  lease_expires_at: string;
  response_status: number | null;
  response_headers: string | null;
  /** AES-256-GCM ciphertext of the stored response body (it can carry decrypted personal fields). */
  response_body: string | null;
  created_at: string;
}

/**
 * Which objects (reports, cases, consents, referrals) a stored idempotent response holds, so that
 * erasing an object deletes the responses that could replay it.
 */
interface IdempotencyObjectsTable {
  object_id: string;
  scope: string;
  key: string;
  /** The record's `created_at`: links are purged with their records. */
  created_at: string;
}

interface RateLimitBucketsTable {
  /**
   * `key:<api key id>`, `client:<keyed hash of the client address>` or `pk:<publishable key id>:<that hash>`;
   * never an address. One row per bucket and window, kept while it can still be the previous window.
   */
  bucket: string;
  window_start: number;
  count: number;
  expires_at: string;
}

/** One origin a publishable key allows (the key's `allowed_origins`, one row each, for lookups by origin). */
interface ApiKeyOriginsTable {
  origin: string;
  key_id: string;
}

interface SettingsTable {
  name: string;
  value: string;
}

/** Every table of the referral server, for Kysely. */
export interface Database {
  api_keys: ApiKeysTable;
  api_key_origins: ApiKeyOriginsTable;
  organizations: OrganizationsTable;
  services: ServicesTable;
  service_capacity: ServiceCapacityTable;
  routing: RoutingTable;
  reports: ReportsTable;
  cases: CasesTable;
  case_reports: CaseReportsTable;
  consents: ConsentsTable;
  referrals: ReferralsTable;
  audit_events: AuditEventsTable;
  events: EventsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  idempotency_keys: IdempotencyKeysTable;
  idempotency_objects: IdempotencyObjectsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  settings: SettingsTable;
}
