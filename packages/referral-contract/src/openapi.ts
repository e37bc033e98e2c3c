import * as z from 'zod/mini';
import { OPERATIONS, needsIdempotencyKey, type OperationSpec } from './operations.js';
import { REQUEST_EXAMPLES } from './examples.js';
import { PROBLEM_DEFINITIONS, PROBLEM_MEDIA_TYPE, PROBLEM_TYPES, ProblemSchema, type ProblemSlug } from './problem.js';
import { ReportCreateSchema, ReportReceiptSchema, ReportSchema, ReporterSchema } from './report.js';
import { CaseOpenSchema, CaseSchema, CaseTransitionSchema } from './case.js';
import { ConsentCreateSchema, ConsentSchema, ConsentWithdrawSchema } from './consent.js';
import { OrganizationCreateSchema, OrganizationSchema } from './organization.js';
import { AddressSchema, ServiceCapacityUpdateSchema, ServiceCreateSchema, ServiceSchema } from './service.js';
import { ReferralCreateSchema, ReferralSchema, ReferralTransitionSchema } from './referral.js';
import { ReferralCaseSummarySchema } from './referral-case-summary.js';
import { AuditEventSchema } from './audit-event.js';
import { EventDataSchema, EventSchema } from './event.js';
import {
  WebhookDeliverySchema,
  WebhookEventPayloadSchema,
  WebhookSubscriptionCreatedSchema,
  WebhookSubscriptionCreateSchema,
  WebhookSubscriptionSchema,
} from './webhook.js';
import { HotspotRowSchema, HotspotStatsSchema } from './hotspot-stats.js';
import { RoutingTableSchema, RoutingTableUpdateSchema } from './routing.js';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema } from './api-key.js';
import { ErasureCreateSchema, ErasureSchema } from './erasure.js';

/** The version of the contract the document describes. */
export const CONTRACT_VERSION = '1.0.0';

/** The named schemas of the document's `components.schemas`. */
const NAMED_SCHEMAS: ReadonlyArray<readonly [string, z.core.$ZodType]> = [
  ['ReportCreate', ReportCreateSchema],
  ['Reporter', ReporterSchema],
  ['Report', ReportSchema],
  ['ReportReceipt', ReportReceiptSchema],
  ['CaseOpen', CaseOpenSchema],
  ['Case', CaseSchema],
  ['CaseTransition', CaseTransitionSchema],
  ['ConsentCreate', ConsentCreateSchema],
  ['ConsentWithdraw', ConsentWithdrawSchema],
  ['Consent', ConsentSchema],
  ['OrganizationCreate', OrganizationCreateSchema],
  ['Organization', OrganizationSchema],
  ['Address', AddressSchema],
  ['ServiceCreate', ServiceCreateSchema],
  ['ServiceCapacityUpdate', ServiceCapacityUpdateSchema],
  ['Service', ServiceSchema],
  ['ReferralCreate', ReferralCreateSchema],
  ['ReferralTransition', ReferralTransitionSchema],
  ['Referral', ReferralSchema],
  ['ReferralCaseSummary', ReferralCaseSummarySchema],
  ['AuditEvent', AuditEventSchema],
  ['EventData', EventDataSchema],
  ['Event', EventSchema],
  ['WebhookSubscriptionCreate', WebhookSubscriptionCreateSchema],
  ['WebhookSubscription', WebhookSubscriptionSchema],
  ['WebhookSubscriptionCreated', WebhookSubscriptionCreatedSchema],
  ['WebhookDelivery', WebhookDeliverySchema],
  ['WebhookEventPayload', WebhookEventPayloadSchema],
  ['HotspotRow', HotspotRowSchema],
  ['HotspotStats', HotspotStatsSchema],
  ['RoutingTableUpdate', RoutingTableUpdateSchema],
  ['RoutingTable', RoutingTableSchema],
  ['ApiKeyCreate', ApiKeyCreateSchema],
  ['ApiKey', ApiKeySchema],
  ['ApiKeyCreated', ApiKeyCreatedSchema],
  ['ErasureCreate', ErasureCreateSchema],
  ['Erasure', ErasureSchema],
  ['Problem', ProblemSchema],
];

/** A JSON value of the document. */
type Json = Record<string, unknown>;

/** The problems every operation may answer. */
const COMMON_PROBLEMS: readonly ProblemSlug[] = ['unauthorized', 'forbidden', 'rate-limited', 'internal'];
/** The problems of every POST (idempotency). */
const POST_PROBLEMS: readonly ProblemSlug[] = [
  'idempotency-key-missing',
  'idempotency-in-flight',
  'idempotency-key-reused',
  'payload-too-large',
];

function pascal(id: string): string {
  return id
    .split(/[._-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function stripSchemaKeyword(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function queryParameters(query: z.core.$ZodType): Json[] {
  const def = query._zod.def as { shape?: Record<string, z.core.$ZodType> };
  const shape = def.shape ?? {};
  return Object.entries(shape).map(([name, field]) => {
    // The output side shows what a parameter means (an integer 1..100), not the string it arrives as.
    const schema = stripSchemaKeyword(z.toJSONSchema(field, { io: 'output', unrepresentable: 'any' }) as Json);
    return {
      name,
      in: 'query',
      required: field._zod.optin === undefined,
      schema,
      ...(typeof schema['description'] === 'string' ? { description: schema['description'] } : {}),
    };
  });
}

const ID_PARAMETER = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The object id (a UUID).',
  schema: { type: 'string', format: 'uuid' },
};

const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'A unique key per logical request (a UUID works), the same on every retry of it. The first response is stored and replayed for the same key and body for at least 24 h.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '4f1c2b8e-6a3d-4e5f-9b7a-1c2d3e4f5a6b',
};

const REQUEST_ID_HEADER = {
  description: 'The id of this request, for support and the audit trail.',
  schema: { type: 'string' },
};
const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', minimum: 0 },
};

const WEBHOOK_HEADER = (name: string, description: string): Json => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
});

/** What a subscriber receives (Standard Webhooks): a POST with ids only, signed with the subscription secret. */
const WEBHOOK_ITEM: Json = /* @__PURE__ */ (() => ({
  post: {
    summary: 'An event delivered to a subscription',
    description:
      'Verify the signature over the raw body (`verifyWebhook` in @tahaffuz/referral-client) before trusting it, then fetch the objects by id. Answer 2xx within 15 s; anything else is retried with backoff.',
    parameters: [
      WEBHOOK_HEADER('webhook-id', 'The event id; the same on every retry (deduplicate on it).'),
      WEBHOOK_HEADER('webhook-timestamp', 'Seconds since the epoch when this attempt was signed.'),
      WEBHOOK_HEADER('webhook-signature', 'Space-separated `v1,<base64>` HMAC-SHA256 signatures (several during a secret rotation).'),
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/WebhookEventPayload' },
          example: {
            type: 'referral.accepted',
            timestamp: '2026-11-28T09:30:00Z',
            data: {
              referral_id: '6d8f0a2c-4e6a-4c8e-a0b2-d4f6a8c0e2b4',
              case_id: '5b1c3e0a-8f2d-4c6e-9a7b-2d4f6e8a0c1e',
            },
          },
        },
      },
    },
    responses: { '200': { description: 'Received.' } },
  },
}))();

function problemResponses(operation: OperationSpec): Record<string, Json> {
  const slugs = new Set<ProblemSlug>([...COMMON_PROBLEMS, ...operation.problems]);
  if (operation.request !== undefined || operation.query !== undefined || operation.path.includes('{id}')) {
    slugs.add('validation');
  }
  if (needsIdempotencyKey(operation)) for (const slug of POST_PROBLEMS) slugs.add(slug);
  if (operation.path.includes('{id}')) slugs.add('not-found');
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of slugs) {
    const { status } = PROBLEM_DEFINITIONS[slug];
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Json = { 'X-Request-Id': REQUEST_ID_HEADER };
    if (status === 429 || status === 503) headers['Retry-After'] = RETRY_AFTER_HEADER;
    responses[String(status)] = {
      description: list.map((slug) => `${PROBLEM_TYPES[slug]}: ${PROBLEM_DEFINITIONS[slug].title}`).join('; '),
      headers,
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return responses;
}

/**
 * The OpenAPI 3.1 document of the referral API, built from `OPERATIONS` and the zod schemas:
 * every path under `/v1/`, its parameters, request bodies with examples, responses, problem
 * details and the two security schemes (publishable and secret keys, as Bearer tokens).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('openapi.json', JSON.stringify(buildOpenApiDocument(), null, 2));
 * ```
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): Json {
  const registry = z.registry<{ id: string }>();
  const names = new Map<z.core.$ZodType, string>();
  const register = (name: string, schema: z.core.$ZodType): string => {
    const known = names.get(schema);
    if (known !== undefined) return known;
    registry.add(schema, { id: name });
    names.set(schema, name);
    return name;
  };
  for (const [name, schema] of NAMED_SCHEMAS) register(name, schema);
  for (const operation of OPERATIONS as readonly OperationSpec[]) {
    if (operation.request !== undefined) register(`${pascal(operation.id)}Request`, operation.request);
    if (operation.response !== undefined) register(`${pascal(operation.id)}Response`, operation.response);
  }
  const generated = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(generated.schemas)) {
    schemas[name] = stripSchemaKeyword(schema);
  }

  const paths: Record<string, Record<string, Json>> = {};
  for (const operation of OPERATIONS as readonly OperationSpec[]) {
    const parameters: Json[] = [];
    if (operation.path.includes('{id}')) parameters.push(ID_PARAMETER);
    if (operation.query !== undefined) parameters.push(...queryParameters(operation.query));
    if (needsIdempotencyKey(operation)) parameters.push(IDEMPOTENCY_PARAMETER);

    const success: Json =
      operation.response === undefined
        ? { description: 'Done; no content.', headers: { 'X-Request-Id': REQUEST_ID_HEADER } }
        : {
            description: operation.summary,
            headers: { 'X-Request-Id': REQUEST_ID_HEADER },
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${names.get(operation.response) ?? ''}` } },
            },
          };
    const responses: Record<string, Json> = { [String(operation.status)]: success };
    if (operation.id === 'reports.create') {
      responses['200'] = { ...success, description: 'This report id was submitted before: its original receipt.' };
    }
    Object.assign(responses, problemResponses(operation));

    const entry: Json = {
      operationId: operation.id,
      summary: operation.summary,
      ...(operation.description === undefined ? {} : { description: operation.description }),
      tags: [operation.tag],
      'x-tahaffuz-action': operation.action,
      security: operation.keys.map((kind) => ({ [`${kind}Key`]: [] })),
      ...(parameters.length > 0 ? { parameters } : {}),
      responses,
    };
    if (operation.request !== undefined) {
      const example = (REQUEST_EXAMPLES as Record<string, unknown>)[operation.id];
      entry['requestBody'] = {
        required: true,
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${names.get(operation.request) ?? ''}` },
            ...(example === undefined ? {} : { example }),
          },
        },
      };
    }
    const pathItem = paths[operation.path] ?? {};
    paths[operation.path] = pathItem;
    pathItem[operation.method.toLowerCase()] = entry;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tahaffuz referral API',
      version: CONTRACT_VERSION,
      summary: 'A national referral system for victims of child trafficking and bonded labour.',
      description:
        'Reports, cases, consent, the service directory, referrals, events and webhooks. JSON with snake_case names; errors are RFC 9457 problem details; every POST takes an Idempotency-Key.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: options.serverUrl ?? 'http://127.0.0.1:8080' }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    webhooks: { event: WEBHOOK_ITEM },
    components: {
      schemas,
      securitySchemes: {
        publishableKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tz_pk_live_… or tz_pk_test_…',
          description: 'Publishable key: safe in a web page; creates reports only, from its allowed origins.',
        },
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tz_sk_live_… or tz_sk_test_…',
          description: 'Secret key: one organisation, one role. Never put it in a web page.',
        },
      },
    },
  };
}
