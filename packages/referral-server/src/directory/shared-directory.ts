import type { OperationId } from '@tahaffuz/referral-contract';
import type { HandlerInput } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';

/*
 * The directory (organisations and services) and the routing table are one set of configuration
 * shared by live and test mode: organisations own keys of both modes, and test reports are routed
 * and referred through the same entries as live ones. Every key reads it; only a live key changes
 * it, so nothing a test key does is ever seen by a live key. A service's capacity is the exception:
 * each mode has its own (test keys update a test copy), so providers can try capacity updates
 * with test keys (docs/decisions/0007-directory-modes.md).
 */

/** The operations that change the directory or routing table both modes share: live keys only. */
const SHARED_DIRECTORY_WRITES = ['organizations.create', 'services.create', 'routing.update'] as const satisfies readonly OperationId[];

/** An operation that changes the shared directory or routing table. */
export type SharedDirectoryWrite = (typeof SHARED_DIRECTORY_WRITES)[number];

/** Whether an operation changes the shared directory or routing table (and so needs a live key). */
export function changesSharedDirectory(operationId: string): operationId is SharedDirectoryWrite {
  return (SHARED_DIRECTORY_WRITES as readonly string[]).includes(operationId);
}

/** 403 `forbidden` unless the key is a live key: a test key never changes what live keys see. */
export function requireLiveKey(input: Pick<HandlerInput, 'key'>, operationId: SharedDirectoryWrite): void {
  if (input.key.mode === 'live') return;
  throw new HttpProblem('forbidden', {
    detail: `A ${input.key.mode} key may not call ${operationId}: the directory and routing table are shared by live and test mode, so only a live key changes them (test keys read them).`,
  });
}
