/** The status a request the client abandoned is logged with (nginx's "client closed request"); never sent. */
export const CLIENT_CLOSED_REQUEST = 499;

/** The client closed the connection before its request was read: nothing failed on the server. */
export class ClientAbortError extends Error {
  override name = 'ClientAbortError' as const;

  constructor(options: { cause?: unknown } = {}) {
    super('The client closed the connection before the request body ended.', options);
  }
}

const ABORT_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Whether an error means the client went away (a reset, a premature close, an abort), not a server fault. */
function isClientAbort(error: unknown): boolean {
  if (error instanceof ClientAbortError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && ABORT_CODES.has(code)) || (error as { name?: unknown }).name === 'AbortError';
}

/** `error` as a {@link ClientAbortError} when it means the client went away, else as it is. */
export function asClientAbort(error: unknown): unknown {
  return isClientAbort(error) && !(error instanceof ClientAbortError) ? new ClientAbortError({ cause: error }) : error;
}
