import { SoapRejectedError } from './errors.ts';
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

/**
 * Holds every notification's sObject to the WSDL the relay was configured with: its type, each
 * field's name, nil-ness and lexical value, and the presence of required fields. A message that
 * does not match is refused whole (`SOAP_CONTRACT_MISMATCH`, a `Client` fault naming the
 * notification and the field), so a changed outbound message in Salesforce shows up as a
 * delivery failure in its monitoring instead of as wrong data in the ERP.
 */
export function checkSObjectContract(message: OutboundMessage, contract: CompiledContract): void {
  for (const notification of message.notifications) {
    if (notification.sObject === null) continue;
    checkRecord(notification.id, notification.sObject, contract);
  }
}

function checkRecord(notificationId: string, record: SObjectRecord, contract: CompiledContract) {
  const where = `notification ${notificationId}`;
  const refuse = (why: string): SoapRejectedError =>
    new SoapRejectedError('SOAP_CONTRACT_MISMATCH', `${where}: ${why}; nothing was stored`);
  if (record.type !== contract.objectType) {
    throw refuse(
      `the sObject is a ${record.type}, but the configured WSDL's notifications carry ${contract.objectType}`,
    );
  }
  // A record deleted before sending carries no data at all (SALESFORCE.md §1).
  if (record.id === null && Object.keys(record.fields).length === 0) return;
  for (const [name, value] of Object.entries(record.fields)) {
    const field = contract.fieldsByName.get(name);
    if (!field) {
      throw refuse(
        `field ${name} is not in the configured WSDL's ${contract.objectType} (it declares ${describeFields(contract.object)})`,
      );
    }
    if (value === null) {
      if (!field.nillable) throw refuse(`field ${name} is nil, but the WSDL does not allow nil`);
      continue;
    }
    if (!matchesFieldKind(field.kind, value)) {
      throw refuse(
        `field ${name} has the value ${JSON.stringify(value.slice(0, 100))}, which is not a valid ${field.declaredType}`,
      );
    }
  }
  for (const field of contract.object.fields) {
    if (field.required && !Object.hasOwn(record.fields, field.name)) {
      throw refuse(`field ${field.name} is missing, and the WSDL requires it`);
    }
  }
}

function describeFields(object: SObjectContract): string {
  if (object.fields.length === 0) return 'only Id';
  return ['Id', ...object.fields.map((field) => field.name)].join(', ');
}
