/** Node error codes that mean the connection broke after it was made. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Says in a few words why a fetch to the ERP threw: the worker retries all of these, but the
 * person reading the log needs to know whether the ERP is down, slow or cutting connections.
 * undici wraps the socket error as the `cause` of a bare "fetch failed".
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? error.cause : undefined;
  const code = codeOf(cause) ?? codeOf(error);
  if (code === 'ECONNREFUSED') return 'refused the connection';
  if (code !== undefined && RESET_CODES.has(code))
    return `closed the connection before replying (${code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `could not be resolved (${code})`;
  if (code !== undefined) return `could not be reached (${code})`;
  const message = cause instanceof Error ? cause.message : String(error);
  return `could not be reached (${message})`;
}
