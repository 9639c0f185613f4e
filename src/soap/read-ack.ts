import { messageOf } from '../shared/index.ts';
import { OUTBOUND_NS, SOAP_ENVELOPE_NS } from './outbound-message.ts';
import { readXml, type XmlElement } from './read-xml.ts';

export type AckReading = { readonly ack: true } | { readonly ack: false; readonly reason: string };

const ACK_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16, maxAttributes: 32 };

/**
 * What a sender makes of a receiver's reply (SALESFORCE.md §2): only a `notificationsResponse`
 * whose `Ack` is true counts; a fault, `Ack` false or anything unreadable is a failed delivery,
 * and `reason` says why as Salesforce's monitoring page would.
 */
export function readAck(body: string): AckReading {
  let envelope: XmlElement;
  try {
    envelope = readXml(body, ACK_LIMITS);
  } catch (error) {
    return {
      ack: false,
      reason: `unreadable response: ${messageOf(error)}`,
    };
  }
  const bodyElement = envelope.children.find(
    (c) => c.uri === SOAP_ENVELOPE_NS && c.local === 'Body',
  );
  const payload = bodyElement?.children[0];
  if (!payload) return { ack: false, reason: 'response has no SOAP Body content' };
  if (payload.uri === SOAP_ENVELOPE_NS && payload.local === 'Fault') {
    const text = (local: string): string =>
      payload.children.find((c) => c.local === local)?.text.trim() ?? '';
    return { ack: false, reason: `SOAP fault ${text('faultcode')}: ${text('faultstring')}` };
  }
  if (payload.uri !== OUTBOUND_NS || payload.local !== 'notificationsResponse') {
    return {
      ack: false,
      reason: `response holds {${payload.uri}}${payload.local}, not notificationsResponse`,
    };
  }
  const ack = payload.children.find((c) => c.uri === OUTBOUND_NS && c.local === 'Ack')?.text.trim();
  return ack === 'true' || ack === '1'
    ? { ack: true }
    : { ack: false, reason: `Ack was ${ack ?? 'missing'}` };
}
