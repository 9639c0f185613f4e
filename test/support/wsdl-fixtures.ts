import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SoapRejectedError,
  findContractMismatches,
  type CompiledContract,
  type FieldValue,
  type OutboundMessage,
} from '../../src/soap/index.ts';
import { SAMPLE_ORG_ID } from './relay.ts';

export const WSDL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/wsdl');

/** A WSDL fixture, a record that matches it, and ways to break that record. */
export interface WsdlFixture {
  readonly file: string;
  readonly path: string;
  readonly objectType: string;
  /** A record id with the object's key prefix. */
  readonly recordId: string;
  /** Values of the WSDL's own types, as Salesforce writes them. */
  readonly matching: Readonly<Record<string, FieldValue>>;
  /** A field of the WSDL and a value its type does not admit. */
  readonly badValue: readonly [field: string, value: string];
}

const FIXTURES: readonly Omit<WsdlFixture, 'path'>[] = [
  {
    file: 'opportunity.wsdl',
    objectType: 'Opportunity',
    recordId: '0065g00000Q1w2eAAB',
    matching: {
      AccountId: '0015g00000Lm3nOAAR',
      Amount: '12000.0',
      CloseDate: '2026-11-20',
      IsWon: 'true',
      LastModifiedDate: '2026-11-20T09:12:44.000Z',
      Name: 'Acme Fibre',
      Order_Number__c: null,
      StageName: 'Closed Won',
    },
    badValue: ['Amount', 'twelve thousand'],
  },
  {
    file: 'account.wsdl',
    objectType: 'Account',
    recordId: '0015g00000Lm3nOAAR',
    matching: {
      AnnualRevenue: '4.5E7',
      BillingCity: 'Lyon',
      CreatedDate: '2020-05-08T13:40:22.000Z',
      Name: 'Acme',
      NumberOfEmployees: '250',
      ParentId: null,
    },
    badValue: ['NumberOfEmployees', '250.5'],
  },
  {
    file: 'case.wsdl',
    objectType: 'Case',
    recordId: '5005g00000AbCdEAAV',
    matching: {
      CaseNumber: '00001026',
      ContactId: '0035g00000XyZ12AAB',
      IsEscalated: 'false',
      Priority: 'High',
      Status: 'New',
    },
    badValue: ['IsEscalated', 'yes'],
  },
  {
    file: 'invoice.wsdl',
    objectType: 'Invoice__c',
    recordId: 'a015g00000AbCdEAAV',
    matching: {
      Amount__c: '45000.0',
      Due_Date__c: '2026-12-31',
      Name: 'INV-0042',
      Opportunity__c: '0065g00000Q1w2eAAB',
      Paid__c: 'false',
      Send_At__c: '09:30:00.000Z',
    },
    badValue: ['Due_Date__c', '31/12/2026'],
  },
];

export const WSDL_FIXTURES: readonly WsdlFixture[] = FIXTURES.map((fixture) => ({
  ...fixture,
  path: join(WSDL_DIR, fixture.file),
}));

export function wsdlText(fixture: WsdlFixture): string {
  return readFileSync(fixture.path, 'utf8');
}

/** An outbound message from the sample org carrying one notification of `type` with `fields`. */
export function messageWith(
  type: string,
  recordId: string,
  fields: Readonly<Record<string, FieldValue>>,
  notificationId = '04l5g00000AbCdEAAV',
): OutboundMessage {
  const org15 = SAMPLE_ORG_ID.slice(0, 15);
  return {
    organizationId: SAMPLE_ORG_ID,
    actionId: '04k5g000000AbCdAAK',
    sessionId: null,
    enterpriseUrl: `https://acme.my.salesforce.com/services/Soap/c/60.0/${org15}`,
    partnerUrl: `https://acme.my.salesforce.com/services/Soap/u/60.0/${org15}`,
    notifications: [{ id: notificationId, sObject: { type, id: recordId, fields } }],
  };
}

/**
 * Throws `notification ID: reason` for the first notification that does not match the contract,
 * unknown fields included (the strict policy), as a refusing listener would word it.
 */
export function assertMatchesContract(message: OutboundMessage, contract: CompiledContract): void {
  const mismatches = findContractMismatches(message, contract, { unknownFields: 'hold' });
  for (const [id, reason] of mismatches)
    throw new SoapRejectedError('SOAP_CONTRACT_MISMATCH', `notification ${id}: ${reason}`);
}
