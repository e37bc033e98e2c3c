import type { OperationSpec } from './operations.js';
import { ReportCreateSchema, ReportReceiptSchema } from './report.js';

/**
 * `reports.create` (`POST /v1/reports`), the one operation a publishable key may call, in a module
 * of its own: a page that only submits reports imports this instead of `OPERATIONS`, and so bundles
 * none of the other operations' schemas. `OPERATIONS` holds this same object.
 *
 * @example
 * ```ts
 * import { REPORTS_CREATE_OPERATION } from '@tahaffuz/referral-contract';
 * REPORTS_CREATE_OPERATION.path; // '/v1/reports'
 * REPORTS_CREATE_OPERATION.request.safeParse(body);
 * ```
 */
export const REPORTS_CREATE_OPERATION = {
  id: 'reports.create',
  method: 'POST',
  path: '/v1/reports',
  action: 'reports:create',
  keys: ['publishable', 'secret'],
  request: ReportCreateSchema,
  response: ReportReceiptSchema,
  status: 201,
  problems: ['id-conflict', 'payload-too-large'],
  summary: 'Submit a report; resubmitting the same id returns the original receipt',
  tag: 'reports',
} as const satisfies OperationSpec;
