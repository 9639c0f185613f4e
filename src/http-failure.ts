/**
 * Why a fetch() failed, in words an operator can act on: the system error code
 * (ECONNREFUSED, ECONNRESET, …) when there is one, or a timeout.
 */
export function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer before the timeout';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}
