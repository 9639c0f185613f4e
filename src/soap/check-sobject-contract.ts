import { matchesFieldKind } from './field-kinds.ts';
import type { OutboundMessage, SObjectRecord } from './outbound-message.ts';
import {
  boundObject,
  type FieldContract,
  type OutboundContract,
  type SObjectContract,
} from './wsdl-contract.ts';

/** A contract prepared for checking many messages: fields by name. */
export interface CompiledContract {
  readonly objectType: string;
  readonly object: SObjectContract;
  readonly fieldsByName: ReadonlyMap<string, FieldContract>;
}

export function compileContract(contract: OutboundContract): CompiledContract {
  const object = boundObject(contract);
  return {
    objectType: contract.objectType,
    object,
    fieldsByName: new Map(object.fields.map((field) => [field.name, field])),
  };
}

export interface ContractPolicy {
  /**
   * A field the WSDL does not declare: `accept` (default) stores it as sent — admins add fields
   * to outbound messages and rarely re-download the WSDL, and the worker reads the record back
   * anyway — or `hold` treats it as a mismatch.
   */
  readonly unknownFields: 'accept' | 'hold';
}

/**
 * Compares every notification's sObject with the WSDL the relay was configured with: its type,
 * each declared field's nil-ness and lexical value, the presence of required fields, and (by
 * policy) fields the WSDL does not declare. Returns the reason for each notification that does
 * not match, by notification id; the listener stores those `held` rather than refusing the
 * message, because Salesforce deletes a message it could not deliver for 24 hours.
 */
export function findContractMismatches(
  message: OutboundMessage,
  contract: CompiledContract,
  policy: ContractPolicy,
): Map<string, string> {
  const mismatches = new Map<string, string>();
  for (const notification of message.notifications) {
    if (notification.sObject === null) continue;
    const reason = recordMismatch(notification.sObject, contract, policy);
    if (reason !== null) mismatches.set(notification.id, reason);
  }
  return mismatches;
}

function recordMismatch(
  record: SObjectRecord,
  contract: CompiledContract,
  policy: ContractPolicy,
): string | null {
  if (record.type !== contract.objectType) {
    return `the sObject is a ${record.type}, but the configured WSDL's notifications carry ${contract.objectType}`;
  }
  // A record deleted before sending carries no data at all (SALESFORCE.md §1).
  if (record.id === null && Object.keys(record.fields).length === 0) return null;
  for (const [name, value] of Object.entries(record.fields)) {
    const field = contract.fieldsByName.get(name);
    if (!field) {
      if (policy.unknownFields === 'accept') continue;
      return `field ${name} is not in the configured WSDL's ${contract.objectType} (it declares ${describeFields(contract.object)})`;
    }
    if (value === null) {
      if (!field.nillable) return `field ${name} is nil, but the WSDL does not allow nil`;
      continue;
    }
    if (!matchesFieldKind(field.kind, value)) {
      return `field ${name} has the value ${JSON.stringify(value.slice(0, 100))}, which is not a valid ${field.declaredType}`;
    }
  }
  for (const field of contract.object.fields) {
    if (field.required && !Object.hasOwn(record.fields, field.name)) {
      return `field ${field.name} is missing, and the WSDL requires it`;
    }
  }
  return null;
}

function describeFields(object: SObjectContract): string {
  if (object.fields.length === 0) return 'only Id';
  return ['Id', ...object.fields.map((field) => field.name)].join(', ');
}
