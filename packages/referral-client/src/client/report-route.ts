import { createTransport, type TransportResponse } from '../http/transport.js';
import type { ReportReceipt } from '@tahaffuz/referral-contract';
import { reportCreate, type ReportsResource } from '../resources/reports.js';
import { resolveTransportOptions, type ReferralClientOptions } from './client-options.js';
import type { CallOptions, OperationBody } from './operation-types.js';

/**
 * `reports.create` as the transport needs it. The contract's `REPORTS_CREATE_OPERATION` carries
 * the same three values next to its schemas; importing it would bring zod into a page that does
 * not validate, so they are written here and a test holds them equal to the contract's.
 */
export const REPORTS_CREATE_ROUTE = { id: 'reports.create', method: 'POST', path: '/v1/reports' } as const;

/** A report body as it is sent: the caller's input with its id filled in. */
type ReportBody = OperationBody<'reports.create'>;

/** Checks what a client entry sends and receives; the validating entry uses the contract's schemas. */
export interface ReportChecks {
  /** Throws a `RequestValidationError` for a body that must not be sent. */
  readonly request?: ((body: ReportBody) => void) | undefined;
  /** Returns the receipt, or throws a `ResponseValidationError`. */
  readonly receipt: (response: TransportResponse, sent: ReportBody) => ReportReceipt;
}

/**
 * A client that can only submit reports: `reports.create` of the full client and nothing else. A
 * `ReferralClient` is also a `ReportSubmitter`, so code written against this type takes either.
 */
export interface ReportSubmitter {
  readonly reports: Pick<ReportsResource, 'create'>;
}

/**
 * Builds a report-only client over the shared transport (retries, timeouts, `Retry-After`, error
 * classes) and `reportCreate` (the report's id generated once, reused after a failure), with the
 * given checks around the one POST. `factory` names the caller's function in option errors.
 */
export function createReportClient(factory: string, options: ReferralClientOptions, checks: ReportChecks): ReportSubmitter {
  const transport = createTransport(resolveTransportOptions(factory, options));
  const send = async (body: ReportBody, callOptions: CallOptions = {}): Promise<ReportReceipt> => {
    checks.request?.(body);
    callOptions.signal?.throwIfAborted();
    const response = await transport({
      operation: REPORTS_CREATE_ROUTE.id,
      method: REPORTS_CREATE_ROUTE.method,
      path: REPORTS_CREATE_ROUTE.path,
      body,
      idempotencyKey: callOptions.idempotencyKey ?? crypto.randomUUID(),
      signal: callOptions.signal,
    });
    return checks.receipt(response, body);
  };
  return { reports: { create: reportCreate(send) } };
}
