export * from './outbound-message.ts';
export {
  SoapRejectedError,
  XmlRenderError,
  type SoapFaultCode,
  type SoapRejectionCode,
} from './errors.ts';
export { SOAP_ERRORS } from './error-catalogue.ts';
export { parseOutboundMessage, type ParseOptions } from './parse-outbound-message.ts';
export { renderOutboundMessage } from './render-outbound-message.ts';
export { renderAck, renderFault, SF_RELAY_FAULT_NS, type SoapFault } from './render-response.ts';
export {
  DEFAULT_XML_LIMITS,
  readXml,
  describe as describeQName,
  type QName,
  type XmlElement,
  type XmlReadLimits,
} from './read-xml.ts';
export { createStartTagCounter } from './count-start-tags.ts';
export { escapeAttribute, escapeText } from './escape-xml.ts';
export { isSalesforceId, idChecksum, toId15, toId18 } from './salesforce-id.ts';
export { isApiName } from './api-name.ts';
export { DEFAULT_OUTBOUND_WSDL } from './default-wsdl.ts';
export { readOutboundWsdl, withServiceLocation, type OutboundWsdl } from './outbound-wsdl.ts';
export { readAck, type AckReading } from './read-ack.ts';
export {
  readOutboundContract,
  boundObject,
  ENTERPRISE_NS,
  type FieldContract,
  type OutboundContract,
  type SObjectContract,
} from './wsdl-contract.ts';
export {
  FIELD_KIND_PATTERNS,
  FIELD_KIND_TS_TYPES,
  matchesFieldKind,
  type FieldKind,
} from './field-kinds.ts';
export {
  findContractMismatches,
  type ContractPolicy,
  compileContract,
  type CompiledContract,
} from './check-sobject-contract.ts';
