import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundObject,
  compileContract,
  DEFAULT_OUTBOUND_WSDL,
  matchesFieldKind,
  parseOutboundMessage,
  readOutboundWsdl,
  renderOutboundMessage,
  type FieldKind,
  type FieldValue,
} from '../../src/soap/index.ts';
import {
  messageWith,
  WSDL_FIXTURES,
  wsdlText,
  assertMatchesContract,
} from '../support/wsdl-fixtures.ts';

const fixture = (objectType: string) => {
  const found = WSDL_FIXTURES.find((candidate) => candidate.objectType === objectType);
  if (!found) throw new Error(`no ${objectType} fixture`);
  return found;
};

const contractOf = (objectType: string) => {
  const found = fixture(objectType);
  return readOutboundWsdl(wsdlText(found), found.file).contract;
};

describe('readOutboundWsdl contract', () => {
  it('reads the bound sObject type and each field with its kind, nillability and optionality', () => {
    const contract = contractOf('Account');
    expect(contract.objectType).toBe('Account');
    expect(contract.objects.map((object) => object.name)).toEqual(['Account']);
    const fields = Object.fromEntries(
      boundObject(contract).fields.map((field) => [field.name, field]),
    );
    expect(fields.NumberOfEmployees).toEqual({
      name: 'NumberOfEmployees',
      kind: 'int',
      declaredType: 'xsd:int',
      nillable: true,
      required: false,
    });
    expect(fields.ParentId?.kind).toBe('id');
    expect(fields.CreatedDate?.kind).toBe('dateTime');
    expect(fields.Id).toBeUndefined();
    expect(fields.fieldsToNull).toBeUndefined();
  });

  it('resolves types by namespace, whatever the prefixes', () => {
    const kinds = (contract: ReturnType<typeof contractOf>) =>
      boundObject(contract).fields.map((field) => [field.name, field.kind]);
    // case.wsdl writes ID as e:ID, XML Schema as x: and sObjects as so:.
    expect(kinds(contractOf('Case'))).toEqual([
      ['CaseNumber', 'string'],
      ['ClosedDate', 'dateTime'],
      ['ContactId', 'id'],
      ['IsEscalated', 'boolean'],
      ['Priority', 'string'],
      ['Status', 'string'],
      ['Subject', 'string'],
    ]);
  });

  it('gives the bundled default WSDL an Opportunity contract', () => {
    const contract = readOutboundWsdl(DEFAULT_OUTBOUND_WSDL, 'default').contract;
    expect(contract.objectType).toBe('Opportunity');
    expect(boundObject(contract).fields.map((field) => field.name)).toEqual([
      'AccountId',
      'Amount',
      'CloseDate',
      'Name',
      'Order_Number__c',
      'Order_Status__c',
      'StageName',
    ]);
  });
});

describe('checkSObjectContract', () => {
  const invoice = fixture('Invoice__c');
  const compiled = compileContract(contractOf('Invoice__c'));
  const check = (
    fields: Record<string, FieldValue>,
    type = 'Invoice__c',
    id: string | null = invoice.recordId,
  ) => {
    const message = messageWith(type, invoice.recordId, fields);
    const notification = message.notifications[0];
    const sObject = notification?.sObject;
    if (!notification || !sObject) throw new Error('no sObject');
    return () =>
      assertMatchesContract(
        { ...message, notifications: [{ ...notification, sObject: { ...sObject, id } }] },
        compiled,
      );
  };

  it('accepts a record of the WSDL, nil fields, and a deleted record that carries no data', () => {
    expect(check(invoice.matching)).not.toThrow();
    expect(check({ Amount__c: null, Paid__c: null })).not.toThrow();
    expect(check({}, 'Invoice__c', null)).not.toThrow();
  });

  it('names the notification and the field it refuses', () => {
    expect(check({ Paid__c: 'maybe' })).toThrow(
      /notification 04l5g00000AbCdEAAV: field Paid__c has the value "maybe", which is not a valid xsd:boolean/,
    );
    expect(check({ Amount: '1.0' })).toThrow(
      /field Amount is not in the configured WSDL's Invoice__c/,
    );
    expect(check({}, 'Opportunity')).toThrow(/the sObject is a Opportunity/);
  });

  it('refuses a missing required field and a nil one the WSDL does not allow', () => {
    const strict = readOutboundWsdl(
      wsdlText(invoice).replace(
        '<element name="Name" nillable="true" minOccurs="0" type="xsd:string"/>',
        '<element name="Name" type="xsd:string"/>',
      ),
      'strict.wsdl',
    ).contract;
    const message = (fields: Record<string, FieldValue>) =>
      messageWith('Invoice__c', invoice.recordId, fields);
    const checkStrict = (fields: Record<string, FieldValue>) => () =>
      assertMatchesContract(message(fields), compileContract(strict));
    expect(checkStrict({ Name: 'INV-1' })).not.toThrow();
    expect(checkStrict({})).toThrow(/field Name is missing, and the WSDL requires it/);
    expect(checkStrict({ Name: null })).toThrow(
      /field Name is nil, but the WSDL does not allow nil/,
    );
  });

  it('accepts every record of WSDL-typed values after a render and parse round trip', () => {
    const values: Record<FieldKind, fc.Arbitrary<string>> = {
      id: fc.stringMatching(/^[a-zA-Z0-9]{18}$/),
      string: fc.string(),
      boolean: fc.constantFrom('true', 'false'),
      int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map(String),
      long: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
      double: fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((n) =>
          Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.0` : String(n).toUpperCase(),
        ),
      date: fc
        .date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      dateTime: fc
        .date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      time: fc
        .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2000-01-02') })
        .map((d) => d.toISOString().slice(11)),
      base64Binary: fc
        .uint8Array({ maxLength: 40 })
        .map((bytes) => Buffer.from(bytes).toString('base64')),
      anyType: fc.string(),
    };
    const kinds = Object.keys(values) as FieldKind[];
    fc.assert(
      fc.property(
        fc
          .constantFrom(...kinds)
          .chain((kind) => values[kind].map((value) => [kind, value] as const)),
        ([kind, value]) => {
          expect(matchesFieldKind(kind, value)).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            Amount__c: values.double,
            Due_Date__c: values.date,
            Name: values.string,
            Opportunity__c: values.id,
            Paid__c: values.boolean,
            Send_At__c: values.time,
          },
          { requiredKeys: [] },
        ),
        (fields) => {
          const xml = renderOutboundMessage(messageWith('Invoice__c', invoice.recordId, fields));
          expect(() => assertMatchesContract(parseOutboundMessage(xml), compiled)).not.toThrow();
        },
      ),
    );
  });
});
