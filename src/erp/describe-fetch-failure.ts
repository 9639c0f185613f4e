import {
  fetchFailureCode,
  fetchFailureReason,
  isFetchTimeout,
  ReplyTooLargeError,
} from '../shared/index.ts';

/** Node error codes that mean the connection broke after it was made. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Says in a few words why a request to the ERP failed: the worker retries all of these, but the
 * person reading the log needs to know whether the ERP is down, slow or cutting connections.
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (isFetchTimeout(error)) return `timed out after ${timeoutMs} ms`;
  if (error instanceof ReplyTooLargeError) return `answered, but ${error.message}`;
  const code = fetchFailureCode(error);
  if (code === 'ECONNREFUSED') return 'refused the connection';
  if (code !== undefined && RESET_CODES.has(code))
    return `closed the connection before replying (${code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `could not be resolved (${code})`;
  return `could not be reached (${fetchFailureReason(error)})`;
}
