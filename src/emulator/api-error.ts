import { SfRelayError } from '../shared/index.ts';

/**
 * An error as a Salesforce API reports it: `errorCode` and `message` (REST answers
 * `[{"message","errorCode","fields"}]` with `status`; SOAP answers a fault `sf:<errorCode>`).
 * Codes and statuses are Salesforce's, so jsforce and our own client see what a real org sends.
 */
export class SalesforceApiError extends SfRelayError {
  readonly code: string;
  readonly status: number;
  readonly fields: readonly string[];

  constructor(
    errorCode: string,
    message: string,
    options: { status?: number; fields?: readonly string[] } = {},
  ) {
    super(message);
    this.code = errorCode;
    this.status = options.status ?? 400;
    this.fields = options.fields ?? [];
  }

  /** The REST body: Salesforce always answers a JSON array of errors. */
  toRestBody(): { message: string; errorCode: string; fields?: readonly string[] }[] {
    return [
      {
        message: this.message,
        errorCode: this.code,
        ...(this.fields.length > 0 ? { fields: this.fields } : {}),
      },
    ];
  }
}

export const invalidSession = (): SalesforceApiError =>
  new SalesforceApiError('INVALID_SESSION_ID', 'Session expired or invalid', { status: 401 });

export const notFound = (message = 'The requested resource does not exist'): SalesforceApiError =>
  new SalesforceApiError('NOT_FOUND', message, { status: 404 });

export const malformedId = (value: string, type?: string): SalesforceApiError =>
  new SalesforceApiError(
    'MALFORMED_ID',
    type
      ? `${type} ID: id value of incorrect type: ${value}`
      : `Provided external ID field does not exist or is not accessible: ${value}`,
    { status: 400 },
  );
