import { SoapRejectedError } from './errors.ts';

/**
 * `EnterpriseUrl`/`PartnerUrl`: an absolute http(s) URL without credentials, stored as sent.
 * Their path is not held to `OrganizationId`: real sandbox messages carry URLs whose org id
 * differs, and a refusal there would lose a genuine message after Salesforce's 24 hours of
 * retries. Where the relay sends something to them (legacy SessionId mode) it checks them.
 */
export function checkApiUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SoapRejectedError(
      'SOAP_INVALID_VALUE',
      `${what} ${JSON.stringify(value.slice(0, 200))} is not a URL`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SoapRejectedError(
      'SOAP_INVALID_VALUE',
      `${what} must be an http(s) URL, not ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new SoapRejectedError('SOAP_INVALID_VALUE', `${what} must not carry credentials`);
  }
}

/** The same rule as a test, for a reader that hands a doubtful message to the reference reader. */
export function isApiUrl(value: string): boolean {
  try {
    checkApiUrl(value, 'URL');
    return true;
  } catch {
    return false;
  }
}
