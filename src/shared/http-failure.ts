/**
 * Why a fetch() failed. undici reports a bare "fetch failed" and hides the useful part (the
 * system error code: ECONNREFUSED, ECONNRESET, …) in `cause`; these read it out once for every
 * HTTP client we have (the emulator's sender, the ERP adapter, the Salesforce client).
 */

/** The request ran out of time (AbortSignal.timeout) or was aborted. */
export function isFetchTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The system error code of a failed fetch, from its cause or itself. */
export function fetchFailureCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return codeOf(cause) ?? codeOf(error);
}

/** The code when there is one, else the most specific message. */
export function fetchFailureReason(error: unknown): string {
  const code = fetchFailureCode(error);
  if (code !== undefined) return code;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** In words an operator can act on: the code and its message, or a timeout. */
export function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (isFetchTimeout(error)) return 'no answer before the timeout';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = codeOf(cause);
    return code ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}
