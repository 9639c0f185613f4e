import { messageOf } from '../shared/index.ts';

export class ControlApiError extends Error {
  readonly code = 'CHAOS_CONTROL_FAILED';
}

/**
 * A JSON call to one of the chaos run's own services (the emulator's `/emulator` API, the
 * ERP's `/erp/faults` and `/orders`). These are never faulted, so any failure is fatal.
 */
export async function callJson<T = unknown>(
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new ControlApiError(`${method} ${url} failed: ${messageOf(error)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ControlApiError(
      `${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
