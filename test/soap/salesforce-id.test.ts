import { describe, expect, it } from 'vitest';
import { idChecksum, isSalesforceId, toId15, toId18 } from '../../src/soap/index.ts';

describe('Salesforce ids', () => {
  it('accepts 15- and 18-character alphanumeric ids only', () => {
    expect(isSalesforceId('001A0000006Vm9r')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rI')).toBe(false);
    expect(isSalesforceId('001A0000006Vm9')).toBe(false);
    expect(isSalesforceId('001A0000006Vm9r-AC')).toBe(false);
    expect(isSalesforceId('')).toBe(false);
  });

  it('computes the case-insensitivity suffix Salesforce documents', () => {
    expect(idChecksum('001A0000006Vm9r')).toBe('IAC');
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(toId18('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(idChecksum('000000000000000')).toBe('AAA');
    expect(idChecksum('AAAAAAAAAAAAAAA')).toBe('555');
  });

  it('shortens to the case-sensitive 15-character form', () => {
    expect(toId15('00D5g000004XyZ1EAK')).toBe('00D5g000004XyZ1');
    expect(() => toId15('nope')).toThrow(RangeError);
  });
});
