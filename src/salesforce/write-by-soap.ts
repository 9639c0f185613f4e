import { escapeText } from '../soap/index.ts';
import { readXml, type XmlElement } from '../soap/index.ts';
import { SOAP_ENVELOPE_NS } from '../soap/index.ts';
import { badReply, classifyFailure } from './classify-failure.ts';
import { recordFailure } from './write-by-collections.ts';
import { apiUrl, type Credential } from './credential.ts';
import type { OrderResult, OrderWrite } from './salesforce-client.ts';
import { sendRequest } from './send-request.ts';
import type { WriteContext } from './write-by-rest.ts';

const PARTNER_NS = 'urn:partner.soap.sforce.com';
const SOBJECT_NS = 'urn:sobject.partner.soap.sforce.com';

/**
 * The partner API's `update` call. Salesforce answers a per-record `SaveResult` (HTTP 200
 * even when the record failed) or, for a call it refuses as a whole, a SOAP fault whose
 * `faultcode` is `sf:<CODE>` (INVALID_SESSION_ID among them).
 */
export async function writeBySoap(
  credential: Credential,
  opportunityId: string,
  result: OrderResult,
  context: WriteContext,
): Promise<void> {
  const outcomes = await writeManyBySoap(credential, [{ opportunityId, result }], context);
  const error = outcomes.get(opportunityId);
  if (error instanceof Error) throw error;
}

/**
 * One `update` of up to 200 Opportunities: one `result` per sObject, in request order, each
 * failing on its own; a fault fails the call as a whole and throws.
 */
export async function writeManyBySoap(
  credential: Credential,
  writes: readonly OrderWrite[],
  context: WriteContext,
): Promise<Map<string, Error | null>> {
  const [only] = writes;
  const what =
    writes.length === 1 && only !== undefined
      ? `SOAP update Opportunity ${only.opportunityId}`
      : `SOAP update ${writes.length} Opportunities`;
  const reply = await sendRequest(
    apiUrl(credential, `/services/Soap/u/${context.apiVersion}`),
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: renderUpdate(credential.accessToken, writes),
    },
    context.timeoutMs,
    what,
  );
  let envelope: XmlElement;
  try {
    envelope = readXml(reply.body);
  } catch {
    if (reply.status === 200) throw badReply(what, 'the body is not a SOAP envelope');
    throw classifyFailure({ status: reply.status, errorCode: null, message: '', what });
  }
  const body = child(envelope, SOAP_ENVELOPE_NS, 'Body');
  const fault = child(body, SOAP_ENVELOPE_NS, 'Fault');
  if (fault !== undefined) {
    throw classifyFailure({
      status: reply.status,
      errorCode: faultCode(fault),
      message: textOf(fault, 'faultstring') ?? '',
      what,
    });
  }
  const results =
    child(body, PARTNER_NS, 'updateResponse')?.children.filter(
      (c) => c.uri === PARTNER_NS && c.local === 'result',
    ) ?? [];
  if (results.length !== writes.length) {
    throw badReply(what, `${results.length} updateResponse results for ${writes.length} records`);
  }
  const outcomes = new Map<string, Error | null>();
  writes.forEach(({ opportunityId }, index) => {
    const saveResult = results[index];
    const success = saveResult === undefined ? undefined : textOf(saveResult, 'success');
    if (saveResult === undefined || success === undefined) {
      outcomes.set(opportunityId, badReply(what, 'a result without success in the reply'));
      return;
    }
    if (success === 'true') {
      outcomes.set(opportunityId, null);
      return;
    }
    const error = child(saveResult, PARTNER_NS, 'errors');
    outcomes.set(
      opportunityId,
      // A record's own error: unknown codes are not worth retrying.
      recordFailure(
        error === undefined ? null : (textOf(error, 'statusCode') ?? null),
        error === undefined ? '' : (textOf(error, 'message') ?? ''),
        `SOAP update Opportunity ${opportunityId}`,
      ),
    );
  });
  return outcomes;
}

function renderUpdate(sessionId: string, writes: readonly OrderWrite[]): string {
  const sObjects = writes
    .map(
      ({ opportunityId, result }) =>
        `<urn:sObjects>` +
        `<sobj:type>Opportunity</sobj:type><sobj:Id>${escapeText(opportunityId)}</sobj:Id>` +
        `<sobj:Order_Number__c>${escapeText(result.orderNumber)}</sobj:Order_Number__c>` +
        `<sobj:Order_Status__c>${escapeText(result.orderStatus)}</sobj:Order_Status__c>` +
        `</urn:sObjects>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns:urn="${PARTNER_NS}" xmlns:sobj="${SOBJECT_NS}">` +
    `<soapenv:Header><urn:SessionHeader><urn:sessionId>${escapeText(sessionId)}</urn:sessionId></urn:SessionHeader></soapenv:Header>` +
    `<soapenv:Body><urn:update>${sObjects}</urn:update></soapenv:Body></soapenv:Envelope>`
  );
}

function child(parent: XmlElement | undefined, uri: string, local: string): XmlElement | undefined {
  return parent?.children.find((c) => c.uri === uri && c.local === local);
}

/** SaveResult and fault children: compared by local name, as their namespace varies by API. */
function textOf(parent: XmlElement, local: string): string | undefined {
  return parent.children.find((c) => c.local === local)?.text.trim();
}

/**
 * `sf:INVALID_SESSION_ID` → `INVALID_SESSION_ID` (the detail's exceptionCode when present);
 * the envelope's own `soapenv:Client` / `soapenv:Server` become SOAP_CLIENT_FAULT /
 * SOAP_SERVER_FAULT.
 */
function faultCode(fault: XmlElement): string | null {
  const detail = fault.children.find((c) => c.local === 'detail');
  const exceptionCode = detail?.children[0]?.children.find((c) => c.local === 'exceptionCode');
  if (exceptionCode !== undefined && exceptionCode.text.trim() !== '')
    return exceptionCode.text.trim();
  const raw = textOf(fault, 'faultcode');
  if (raw === undefined || raw === '') return null;
  const local = raw.slice(raw.indexOf(':') + 1);
  if (local === 'Client') return 'SOAP_CLIENT_FAULT';
  if (local === 'Server') return 'SOAP_SERVER_FAULT';
  return local;
}
