import { defineErrorCatalogue } from '../shared/index.ts';

const NOTHING_STORED = 'Nothing was stored; Salesforce retries for 24 hours.';

/**
 * Why the listener refused a request before or beside the envelope (the envelope's own
 * refusals are SOAP_ERRORS), and the one fault that is the relay's own failure.
 */
export const LISTENER_ERRORS = defineErrorCatalogue('listener', {
  ORG_NOT_ALLOWED: {
    http: { status: 500, fault: 'Client' },
    meaning: 'The message comes from an organization not in `allowedOrganizationIds`.',
    action: `${NOTHING_STORED} Add the org's 15- or 18-character id to \`allowedOrganizationIds\` if it is yours.`,
  },
  ENDPOINT_TOKEN_INVALID: {
    http: { status: 401, fault: 'Client' },
    meaning: 'The endpoint token in the URL (or header) is missing or wrong.',
    action: `${NOTHING_STORED} Put \`/soap/outbound/<endpointToken>\` in the outbound message's Endpoint URL.`,
  },
  ENDPOINT_NOT_FOUND: {
    http: { status: 404, fault: 'Client' },
    meaning: 'A token path was called but the relay has no `endpointToken` configured.',
    action: 'Send to `/soap/outbound`, or configure `endpointToken`.',
  },
  SOAP_WRONG_CONTENT_TYPE: {
    http: { status: 415, fault: 'Client' },
    meaning: 'The request is not `text/xml`, which SOAP 1.1 requires.',
    action: `${NOTHING_STORED} Send \`Content-Type: text/xml; charset=utf-8\` (Salesforce always does).`,
  },
  SOAP_WRONG_ACTION: {
    http: { status: 500, fault: 'Client' },
    meaning: 'The `SOAPAction` header is not the empty action the outbound-message WSDL binds.',
    action: `${NOTHING_STORED} Send \`SOAPAction: ""\` (Salesforce always does).`,
  },
  SOURCE_NOT_ALLOWED: {
    http: { status: 403, fault: 'Client' },
    meaning: 'The request comes from an address outside `allowedSourceIps` (after `trustProxy`).',
    action: `${NOTHING_STORED} Add Salesforce's published IP ranges (or your proxy's address with \`trustProxy\`) to \`allowedSourceIps\`.`,
  },
  CLIENT_CERT_MISSING: {
    http: { status: 403, fault: 'Client' },
    meaning:
      'Client-certificate pins are configured and the request carries no client certificate.',
    action: `${NOTHING_STORED} Upload Salesforce's client certificate in the outbound message definition (Send Client Certificate), or remove the pins.`,
  },
  CLIENT_CERT_NOT_PINNED: {
    http: { status: 403, fault: 'Client' },
    meaning:
      'The client certificate chains to the CA but is not one of the pinned subjects or fingerprints.',
    action: `${NOTHING_STORED} Pin the certificate Salesforce now sends (its subject or SHA-256 fingerprint).`,
  },
  REQUEST_INVALID: {
    http: { status: 400, fault: 'Client' },
    meaning: 'The HTTP request is broken (a `Content-Length` that does not match the body).',
    action: `${NOTHING_STORED} Fix the client sending it; Salesforce's own requests never are.`,
  },
  TOO_MANY_CONCURRENT_REQUESTS: {
    http: { status: 503, fault: 'Server' },
    meaning: 'One source has `limits.maxConcurrentPerIp` requests in flight already.',
    action: `${NOTHING_STORED} Raise \`limits.maxConcurrentPerIp\` if a genuine sender hits it.`,
  },
  INTERNAL: {
    http: { status: 500, fault: 'Server' },
    meaning: 'The relay failed on its side for a reason it has no code for (a bug).',
    action: `${NOTHING_STORED} The relay log has the stack trace; please report it.`,
  },
});
