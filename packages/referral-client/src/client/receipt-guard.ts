import { REPORT_REFERENCE_PATTERN, type ReportReceipt } from '@tahaffuz/referral-contract';
import type { SchemaIssue } from '../errors/validation-errors.js';

// RFC 3339 `date-time`: date, `T`, time with optional fraction, and `Z` or an offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/u;

/** Whether `value` is an RFC 3339 date-time, calendar included (no 31 April, no hour 24). */
export function isRfc3339DateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = RFC3339.exec(value);
  if (match === null) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    offsetHour <= 23 &&
    offsetMinute <= 59
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a receipt without zod: an object whose `id` is the id that was sent, whose `reference`
 * matches the contract's `REPORT_REFERENCE_PATTERN` and whose `received_at` is an RFC 3339
 * date-time. Returns the issues found (none for a good receipt).
 */
export function receiptIssues(body: unknown, sentId: string): SchemaIssue[] {
  if (!isRecord(body)) return [{ path: [], message: 'expected an object', code: 'invalid_type' }];
  const issues: SchemaIssue[] = [];
  if (body['id'] !== sentId) issues.push({ path: ['id'], message: 'not the id of the report that was sent', code: 'custom' });
  if (typeof body['reference'] !== 'string' || !REPORT_REFERENCE_PATTERN.test(body['reference'])) {
    issues.push({ path: ['reference'], message: 'expected a reference like TZ-7K3M-Q9XD', code: 'invalid_format' });
  }
  if (!isRfc3339DateTime(body['received_at'])) {
    issues.push({ path: ['received_at'], message: 'expected an RFC 3339 date-time', code: 'invalid_format' });
  }
  return issues;
}

/** The receipt's three fields, once `receiptIssues` found none. */
export function receiptOf(body: Record<string, unknown>): ReportReceipt {
  return { id: body['id'] as string, reference: body['reference'] as string, received_at: body['received_at'] as string };
}
