const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** A Salesforce object or field API name (`Opportunity`, `Order_Number__c`). */
export function isApiName(value: string): boolean {
  return API_NAME.test(value);
}
