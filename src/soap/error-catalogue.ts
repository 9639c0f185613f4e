import { defineErrorCatalogue, type ErrorDescription } from '../shared/index.ts';

const RESEND =
  'Nothing was stored. Salesforce retries the same message for 24 hours, so fix the sender (the outbound message definition or whatever posts to the relay); the next delivery is taken.';

function refused(
  meaning: string,
  action: string = RESEND,
): ErrorDescription & Required<Pick<ErrorDescription, 'http'>> {
  // SOAP 1.1 §6.2: a fault found while processing the envelope is answered with HTTP 500.
  return { http: { status: 500, fault: 'Client' }, meaning, action };
}

/**
 * Why the door refused a message's envelope. Each is the sender's mistake or an attack, so
 * nothing of the message is stored (the only refusals the promise allows: see docs/guarantees.md).
 */
export const SOAP_ERRORS = defineErrorCatalogue('soap', {
  SOAP_TOO_LARGE: {
    http: { status: 413, fault: 'Client' },
    meaning: 'The body is larger than `limits.maxBodyBytes`.',
    action:
      'Raise `limits.maxBodyBytes` if the sender is genuine (a 100-notification message with many fields can reach a few hundred KB).',
  },
  SOAP_TOO_MANY_ELEMENTS: {
    http: { status: 413, fault: 'Client' },
    meaning: 'The body has more XML elements than `limits.maxElements`; reading stopped there.',
    action: 'Raise `limits.maxElements` if the sender is genuine; otherwise block the source.',
  },
  SOAP_MALFORMED: refused('The body is not well-formed XML, or not UTF-8.'),
  SOAP_ENCODING_UNSUPPORTED: refused(
    'The XML declares an encoding other than UTF-8; outbound messages are always UTF-8.',
  ),
  SOAP_DTD_FORBIDDEN: refused('The body carries a DTD (`<!DOCTYPE`), a classic XML attack vector.'),
  SOAP_ENTITY_FORBIDDEN: refused(
    'The body uses an entity other than the five XML predefines it (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`).',
  ),
  SOAP_TOO_DEEP: refused('Elements nest deeper than `limits.maxDepth`.'),
  SOAP_TOO_MANY_ATTRIBUTES: refused('An element has more attributes than `limits.maxAttributes`.'),
  SOAP_VERSION_MISMATCH: {
    http: { status: 500, fault: 'VersionMismatch' },
    meaning: 'The envelope is not SOAP 1.1 (outbound messages always are).',
    action: RESEND,
  },
  SOAP_MUST_UNDERSTAND: {
    http: { status: 500, fault: 'MustUnderstand' },
    meaning: 'A SOAP header marked `mustUnderstand="1"` that the relay does not understand.',
    action: RESEND,
  },
  SOAP_NOT_OUTBOUND_MESSAGE: refused(
    'The body is SOAP but not a Salesforce outbound message (`notifications` in the outbound namespace).',
  ),
  SOAP_MISSING_ELEMENT: refused(
    'A required element (OrganizationId, ActionId, an sObject Id, …) is missing.',
  ),
  SOAP_UNEXPECTED_ELEMENT: refused('An element the outbound-message grammar does not allow there.'),
  SOAP_TOO_MANY_NOTIFICATIONS: refused(
    'More than 100 notifications in one message (Salesforce sends at most 100).',
  ),
  SOAP_INVALID_ID: refused(
    'An organization, action, notification or record id is not a valid 15- or 18-character Salesforce id.',
  ),
  SOAP_INVALID_VALUE: refused('A field value cannot be read (e.g. a nil with content).'),
  SOAP_DUPLICATE_NOTIFICATION: refused('The same notification id appears twice in one message.'),
  SOAP_CONTRACT_MISMATCH: refused(
    'The message does not match the configured WSDL and `contract.onMismatch` is `refuse`.',
    'Fix the WSDL (`wsdl` in the configuration) or the outbound message definition. The default, `contract.onMismatch: hold`, stores such notifications `held` instead of refusing them.',
  ),
  WSDL_INVALID: {
    meaning: 'The WSDL named by `wsdl` in the configuration is not an outbound-message WSDL.',
    action:
      'Download the WSDL again from Setup → Outbound Messages → the message → Click for WSDL, and point `wsdl` at it.',
  },
  XML_UNREPRESENTABLE: {
    meaning:
      'A value holds a character XML 1.0 cannot carry (a control character), so it cannot be rendered.',
    action: 'Remove the control character from the value (a renderer input error, not a sender’s).',
  },
});
