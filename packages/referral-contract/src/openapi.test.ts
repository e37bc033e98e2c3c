import { validate, compileErrors } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';
import { OPERATIONS, type OperationSpec } from './operations.js';
import { REQUEST_EXAMPLES } from './examples.js';

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: { name: string; in: string }[];
        requestBody?: { content: Record<string, { example?: unknown }> };
        security: Record<string, unknown>[];
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
};

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument() as unknown as Doc;

  it('is a valid OpenAPI 3.1 document for an independent validator', async () => {
    const result = await validate(structuredClone(document) as never);
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.specification).toBe('OpenAPI');
  });

  it('has every operation at its path and method, under /v1/', () => {
    for (const operation of OPERATIONS as readonly OperationSpec[]) {
      expect(operation.path.startsWith('/v1/')).toBe(true);
      const entry = document.paths[operation.path]?.[operation.method.toLowerCase()];
      expect(entry?.operationId, operation.id).toBe(operation.id);
      expect(entry?.responses[String(operation.status)], operation.id).toBeDefined();
    }
    const count = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(count).toBe(OPERATIONS.length);
  });

  it('gives every request body a realistic example and every POST an Idempotency-Key', () => {
    for (const operation of OPERATIONS as readonly OperationSpec[]) {
      const entry = document.paths[operation.path]![operation.method.toLowerCase()]!;
      if (operation.request !== undefined) {
        const example = entry.requestBody?.content['application/json']?.example;
        expect(example, operation.id).toBeDefined();
        expect(operation.request['~standard'].validate(example), operation.id).toMatchObject({ value: example });
      }
      const header = entry.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      expect(header !== undefined, operation.id).toBe(operation.method === 'POST');
    }
    expect(Object.keys(REQUEST_EXAMPLES).length).toBe(OPERATIONS.filter((op) => 'request' in op).length);
  });

  it('declares both key kinds as Bearer schemes and uses the publishable one only to create reports', () => {
    expect(document.components.securitySchemes['publishableKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes['secretKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const publishable = Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .filter((entry) => entry.security.some((s) => 'publishableKey' in s))
      .map((entry) => entry.operationId);
    expect(publishable).toEqual(['reports.create']);
  });

  it('names webhook.paused among the event types, paused subscriptions and failure categories, and the subscription limit of webhooks.create', () => {
    const enums: string[][] = [];
    JSON.stringify(document, (_key, value: unknown) => {
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) enums.push(value as string[]);
      return value;
    });
    const eventTypes = enums.filter((values) => values.includes('report.received'));
    expect(eventTypes.length).toBeGreaterThan(0);
    for (const values of eventTypes) expect(values).toContain('webhook.paused');
    expect(enums).toContainEqual(['enabled', 'disabled', 'paused']);
    expect(enums).toContainEqual(['refused_target', 'failing']);
    expect(enums).toContainEqual(['refused_target', 'connect_failed', 'timeout', 'http_status', 'subscription_inactive']);
    expect(Object.keys(document.paths['/v1/webhooks']?.['post']?.responses ?? {})).toContain('422');
  });
});
