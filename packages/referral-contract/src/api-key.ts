import * as z from 'zod/mini';
import { IdSchema, ShortTextSchema, TimestampSchema, uniqueItems } from './primitives.js';
import { KeyKindSchema, RoleSchema } from './permissions.js';
import { PageQueryShape } from './list.js';

/** Live keys see live data only; test keys test data only. */
export const KEY_MODES = ['live', 'test'] as const;
/** A key mode. */
export const KeyModeSchema = /* @__PURE__ */ z.enum(KEY_MODES);
/** A key mode. */
export type KeyMode = z.infer<typeof KeyModeSchema>;

/** The shape of an API key: `tz_pk_live_…`, `tz_pk_test_…`, `tz_sk_live_…`, `tz_sk_test_…`. */
export const API_KEY_PATTERN = /^tz_(pk|sk)_(live|test)_[A-Za-z0-9]{16,64}$/;

/** What an API key string says about itself, or `undefined` when it is not one. */
export function parseApiKey(key: string): { kind: 'publishable' | 'secret'; mode: KeyMode } | undefined {
  const match = API_KEY_PATTERN.exec(key);
  if (match === null) return undefined;
  return { kind: match[1] === 'pk' ? 'publishable' : 'secret', mode: match[2] === 'live' ? 'live' : 'test' };
}

/** An allowed origin for a publishable key: scheme, host and optional port, no path. */
export const OriginSchema = /* @__PURE__ */ (() => z.string().check(z.regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/)))();

/** The body of `POST /v1/keys` (admin). Secret keys take a role; publishable keys take allowed origins. */
export const ApiKeyCreateSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('publishable'),
      mode: KeyModeSchema,
      organization_id: IdSchema,
      name: ShortTextSchema,
      allowed_origins: z.array(OriginSchema).check(z.minLength(1), z.maxLength(50), uniqueItems()),
    }),
    z.strictObject({
      kind: z.literal('secret'),
      mode: KeyModeSchema,
      organization_id: IdSchema,
      name: ShortTextSchema,
      role: RoleSchema,
    }),
  ]))();
/** The body of `POST /v1/keys`. */
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>;

/** An API key as listed: never the key itself, only its last four characters. */
export const ApiKeySchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    kind: KeyKindSchema,
    mode: KeyModeSchema,
    organization_id: IdSchema,
    name: z.string(),
    role: z.nullable(RoleSchema),
    allowed_origins: z.array(z.string()),
    last4: z.string(),
    created_at: TimestampSchema,
    revoked_at: z.nullable(TimestampSchema),
  }))();
/** An API key as listed. */
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A newly created key, with the key string answered this once (it is stored hashed). */
export const ApiKeyCreatedSchema = /* @__PURE__ */ (() =>
  z.object({
    ...ApiKeySchema.shape,
    key: z.string().check(z.regex(API_KEY_PATTERN)),
  }))();
/** A newly created key. */
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

/** The query of `GET /v1/keys`. */
export const ApiKeyListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    organization_id: z.optional(IdSchema),
  }))();
/** The query of `GET /v1/keys`. */
export type ApiKeyListQuery = z.infer<typeof ApiKeyListQuerySchema>;
