/**
 * Base of every error sf-relay raises on purpose. `code` is stable and documented; callers
 * branch on the class or the code, never on the message text.
 */
export abstract class SfRelayError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SOAP 1.1 fault code a refusal at the door carries (SOAP 1.1 §4.4.1). */
export type FaultCode = 'Client' | 'Server' | 'VersionMismatch' | 'MustUnderstand';

/**
 * What an operator needs to know about one error code. Every code sf-relay raises, stores on
 * a notification or answers with is described once, in its part's catalogue; `sf-relay errors`
 * and docs/errors.md are rendered from the catalogues, so the table cannot drift from the code.
 */
export interface ErrorDescription {
  /** Answered to the sender over HTTP: the status and SOAP fault code. */
  readonly http?: { readonly status: number; readonly fault: FaultCode };
  /**
   * For a failure while processing a notification: true when the worker retries it (with
   * backoff, until `maxAgeHours`), false when it goes straight to `dead`. Absent when the
   * error is not a processing outcome (a refusal at the door, a configuration mistake).
   */
  readonly retryable?: boolean;
  /** What happened, in the operator's words. */
  readonly meaning: string;
  /** What to do about it. */
  readonly action: string;
}

export interface ErrorCatalogue<
  Errors extends Readonly<Record<string, ErrorDescription>> = Readonly<
    Record<string, ErrorDescription>
  >,
> {
  /** The part of sf-relay that raises these codes: a folder under src/. */
  readonly part: string;
  readonly errors: Errors;
}

/** One part's catalogue; `const` keeps each entry's literal type so classes can read their status. */
export function defineErrorCatalogue<
  const Errors extends Readonly<Record<string, ErrorDescription>>,
>(part: string, errors: Errors): ErrorCatalogue<Errors> {
  return { part, errors };
}
