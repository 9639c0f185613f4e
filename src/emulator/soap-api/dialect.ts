/** The two SOAP APIs: partner (`/u/`, generic sObjects) and enterprise (`/c/`, typed sObjects). */
export type ApiDialect = 'partner' | 'enterprise';

export interface DialectNamespaces {
  /** Operations, results and headers. */
  readonly api: string;
  /** sObject fields (`sf:` in Salesforce's responses). */
  readonly sobject: string;
  /** Fault details (`sf:` inside a fault). */
  readonly fault: string;
  /** The path letter: `/services/Soap/u/…` or `/services/Soap/c/…`. */
  readonly pathLetter: 'u' | 'c';
}

export const NAMESPACES: Readonly<Record<ApiDialect, DialectNamespaces>> = {
  partner: {
    api: 'urn:partner.soap.sforce.com',
    sobject: 'urn:sobject.partner.soap.sforce.com',
    fault: 'urn:fault.partner.soap.sforce.com',
    pathLetter: 'u',
  },
  enterprise: {
    api: 'urn:enterprise.soap.sforce.com',
    sobject: 'urn:sobject.enterprise.soap.sforce.com',
    fault: 'urn:fault.enterprise.soap.sforce.com',
    pathLetter: 'c',
  },
};

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
