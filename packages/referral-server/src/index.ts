/**
 * `@tahaffuz/referral-server`: the reference implementation of the Tahaffuz referral API.
 * Every public export is named here.
 */
export { ReferralServerError, isReferralServerError, type ReferralServerErrorCode } from './errors.js';
export { openDatabase, type DatabaseConfig, type DialectName, type OpenDatabase } from './storage/open-database.js';
export type { Database, Mode } from './storage/schema.js';
export {
  ENCRYPTION_KEY_ENV,
  PREVIOUS_ENCRYPTION_KEYS_ENV,
  createFieldCipher,
  encryptionKeyId,
  generateEncryptionKey,
  parseEncryptionKey,
  parseEncryptionKeyList,
  type FieldCipher,
} from './crypto/field-cipher.js';
export {
  encryptionStatus,
  rotateEncryption,
  type EncryptionStatus,
  type RotatedColumn,
  type RotationOptions,
  type RotationSummary,
  type SealedColumnStatus,
} from './crypto/rotate-encryption.js';
export {
  createApiKey,
  findApiKey,
  listApiKeys,
  revokeApiKey,
  type CreateApiKeyInput,
} from './keys/api-keys.js';
export {
  startReferralServer,
  type ReferralServer,
  type ReferralServerOptions,
} from './start-server.js';
export type { RateLimitCeiling, RateLimitSettings, RequestLogEntry } from './http/server-context.js';
export type { RateLimitRule } from './rate-limit/rate-limiter.js';
export { applyRetention, type RetentionSettings } from './domain/retention.js';
export type { WebhookSettings } from './webhooks/dispatcher.js';
export type { HostResolver, WebhookTargetSettings } from './webhooks/target-policy.js';
export { seedDemo, DEMO_ORGANIZATIONS, DEMO_SERVICES, type DemoSeed } from './demo/seed-demo.js';
