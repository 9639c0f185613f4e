import type { XmlElement } from '../../soap/index.ts';
import type { ApiUsage } from '../api-usage.ts';
import { NAMESPACES, SOAP_ENVELOPE_NS, XSI_NS, type ApiDialect } from './dialect.ts';

/** The response envelope around an operation's inner XML. */
export function renderEnvelope(
  dialect: ApiDialect,
  operation: XmlElement,
  inner: string,
  usage: ApiUsage | undefined,
): string {
  const ns = NAMESPACES[dialect];
  const response = `${operation.local}Response`;
  const result = operation.local === 'logout' ? '' : wrapResults(operation.local, inner);
  // LimitInfoHeader, on "all calls, except for login()" (SOAP API Developer Guide,
  // sforce_api_header_limitinfo.htm): the org's daily API usage.
  const header =
    usage === undefined || operation.local === 'login'
      ? ''
      : `<soapenv:Header><LimitInfoHeader><limitInfo><current>${usage.used}</current>` +
        `<limit>${usage.max}</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns="${ns.api}" xmlns:xsi="${XSI_NS}" xmlns:sf="${ns.sobject}">` +
    header +
    `<soapenv:Body><${response}>${result}</${response}></soapenv:Body></soapenv:Envelope>`
  );
}

/** Each operation's results sit in `<result>` elements, except those that render their own. */
const RENDER_OWN_RESULTS = new Set([
  'create',
  'update',
  'upsert',
  'delete',
  'undelete',
  'retrieve',
  'describeSObject',
  'describeSObjects',
  'describeTabs',
  'getServerTimestamp',
]);

function wrapResults(operation: string, inner: string): string {
  if (RENDER_OWN_RESULTS.has(operation)) return inner;
  if (operation === 'query' || operation === 'queryAll' || operation === 'queryMore') {
    return `<result xsi:type="QueryResult">${inner}</result>`;
  }
  return `<result>${inner}</result>`;
}
