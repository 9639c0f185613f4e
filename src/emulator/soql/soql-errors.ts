import { SalesforceApiError } from '../api-error.ts';

/*
 * The errors a real org answers to a bad query, with its codes and wording, so clients that
 * match on `errorCode` (jsforce, our own) behave as they would against Salesforce. Salesforce
 * prefixes the message with the query text and an `ERROR at Row:…:Column:…` pointer; the
 * emulator leaves that prefix out and keeps the sentence clients look for.
 */

export function malformedQuery(message: string): SalesforceApiError {
  return new SalesforceApiError('MALFORMED_QUERY', message);
}

export function unexpectedToken(text: string): SalesforceApiError {
  return malformedQuery(`unexpected token: '${text}'`);
}

export function invalidType(name: string): SalesforceApiError {
  return new SalesforceApiError(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unknownChildRelationship(name: string): SalesforceApiError {
  return new SalesforceApiError(
    'INVALID_TYPE',
    `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function noSuchColumn(name: string, entity: string): SalesforceApiError {
  return new SalesforceApiError(
    'INVALID_FIELD',
    `No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unknownRelationship(name: string): SalesforceApiError {
  return new SalesforceApiError(
    'INVALID_FIELD',
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function invalidFilter(message: string): SalesforceApiError {
  return new SalesforceApiError('INVALID_QUERY_FILTER_OPERATOR', message);
}
