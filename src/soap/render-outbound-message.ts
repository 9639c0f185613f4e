import { isApiName } from './api-name.ts';
import { XmlRenderError } from './errors.ts';
import { escapeText } from './escape-xml.ts';
import {
  OUTBOUND_NS,
  SOAP_ENVELOPE_NS,
  SOBJECT_ENTERPRISE_NS,
  XSI_NS,
  type OutboundMessage,
  type OutboundNotification,
} from './outbound-message.ts';

/**
 * Writes an outbound message exactly as Salesforce lays it out (SALESFORCE.md §1): the
 * emulator sends these, and tests use them to round-trip the parser.
 */
export function renderOutboundMessage(message: OutboundMessage): string {
  const session =
    message.sessionId === null
      ? '<SessionId xsi:nil="true"/>'
      : `<SessionId>${escapeText(message.sessionId)}</SessionId>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI_NS}">\n` +
    ' <soapenv:Body>\n' +
    `  <notifications xmlns="${OUTBOUND_NS}">\n` +
    `   <OrganizationId>${escapeText(message.organizationId)}</OrganizationId>\n` +
    `   <ActionId>${escapeText(message.actionId)}</ActionId>\n` +
    `   ${session}\n` +
    `   <EnterpriseUrl>${escapeText(message.enterpriseUrl)}</EnterpriseUrl>\n` +
    `   <PartnerUrl>${escapeText(message.partnerUrl)}</PartnerUrl>\n` +
    message.notifications.map(renderNotification).join('') +
    '  </notifications>\n' +
    ' </soapenv:Body>\n' +
    '</soapenv:Envelope>\n'
  );
}

function renderNotification(notification: OutboundNotification): string {
  const open = `   <Notification>\n    <Id>${escapeText(notification.id)}</Id>\n`;
  const record = notification.sObject;
  if (record === null) return `${open}   </Notification>\n`;
  const id = record.id === null ? '' : `     <sf:Id>${escapeText(record.id)}</sf:Id>\n`;
  for (const name of [record.type, ...Object.keys(record.fields)]) {
    if (!isApiName(name))
      throw new XmlRenderError(`${JSON.stringify(name)} is not a Salesforce API name`);
  }
  const fields = Object.entries(record.fields)
    .map(([name, value]) =>
      value === null
        ? `     <sf:${name} xsi:nil="true"/>\n`
        : `     <sf:${name}>${escapeText(value)}</sf:${name}>\n`,
    )
    .join('');
  return (
    open +
    `    <sObject xsi:type="sf:${record.type}" xmlns:sf="${SOBJECT_ENTERPRISE_NS}">\n` +
    id +
    fields +
    '    </sObject>\n' +
    '   </Notification>\n'
  );
}
