import { KEY_CHECK_CONTEXT, KEY_CHECK_SETTING } from './key-check.js';

/** A row's primary key, column by column. */
export type RowKey = Readonly<Record<string, string>>;

/**
 * One place where the server stores ciphertext: a text column holding one value, or (with
 * `jsonFields`) a JSON column with ciphertext in some of its fields. `context` must be exactly the
 * one the code that writes the value uses, since it is the value's additional authenticated data.
 */
export interface SealedColumn {
  /** How reports and the CLI name it, e.g. `reports.reporter_enc`. */
  readonly label: string;
  readonly table: string;
  /** Primary key columns, in order. */
  readonly key: readonly string[];
  readonly column: string;
  /** Only rows whose `column` in `where` equals the value (e.g. one setting). */
  readonly where?: { readonly column: string; readonly equals: string };
  /** Values starting with one of these are stored in clear (e.g. a JSON response body without personal data). */
  readonly clearPrefixes?: readonly string[];
  readonly context?: (key: RowKey) => string;
  readonly jsonFields?: readonly { readonly label: string; readonly field: string; readonly context: (key: RowKey) => string }[];
}

const byId = (table: string, column: string, name: string): SealedColumn => ({
  label: `${table}.${column}`,
  table,
  key: ['id'],
  column,
  context: (key) => `${table}.${name}:${key['id'] ?? ''}`,
});

/**
 * Every encrypted value the referral server stores. A new encrypted column must be added here, or
 * key rotation leaves it under the old key (a test compares this list with the schema).
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  byId('reports', 'free_text_enc', 'free_text'),
  byId('reports', 'reporter_enc', 'reporter'),
  byId('reports', 'location_enc', 'location'),
  byId('cases', 'free_text_enc', 'free_text'),
  byId('consents', 'withdrawal_reason_enc', 'withdrawal_reason'),
  {
    label: 'referrals.data',
    table: 'referrals',
    key: ['id'],
    column: 'data',
    jsonFields: [
      { label: 'referrals.data.note_enc', field: 'note_enc', context: (key) => `referrals.note:${key['id'] ?? ''}` },
      {
        label: 'referrals.data.status_reason_enc',
        field: 'status_reason_enc',
        context: (key) => `referrals.status_reason:${key['id'] ?? ''}`,
      },
      {
        label: 'referrals.data.consent_override_reason_enc',
        field: 'consent_override_reason_enc',
        context: (key) => `referrals.consent_override_reason:${key['id'] ?? ''}`,
      },
    ],
  },
  byId('webhook_subscriptions', 'secret_enc', 'secret'),
  // The secret still signing during a secret rotation's grace period shares the secret's context.
  byId('webhook_subscriptions', 'previous_secret_enc', 'secret'),
  {
    label: 'idempotency_keys.response_body',
    table: 'idempotency_keys',
    key: ['scope', 'key'],
    column: 'response_body',
    clearPrefixes: ['{', '['],
    context: (key) => `idempotency_keys.response_body:${key['scope'] ?? ''}:${key['key'] ?? ''}`,
  },
  {
    label: `settings.${KEY_CHECK_SETTING}`,
    table: 'settings',
    key: ['name'],
    column: 'value',
    where: { column: 'name', equals: KEY_CHECK_SETTING },
    context: () => KEY_CHECK_CONTEXT,
  },
];
