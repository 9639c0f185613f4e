import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { apiErrorOf, orderOrg } from './org-fixture.ts';

const org = orderOrg();
const failure = (soql: string): { code: string; message: string; status: number } => {
  const error = apiErrorOf(() => runSoql(org.store, soql));
  return { code: error.code, message: error.message, status: error.status };
};

describe('syntax errors answer MALFORMED_QUERY', () => {
  it.each([
    ['SELECT Id FORM Account', "unexpected token: 'FORM'"],
    ['SELECT Id FROM Account WHERE', "unexpected token: '<EOF>'"],
    ['SELECT FROM Account', "unexpected token: 'FROM'"],
    ['SELECT Id, FROM Account', "unexpected token: 'FROM'"],
    ['SELECT Id FROM Account WHERE Name', "unexpected token: '<EOF>'"],
    [
      "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'",
      "unexpected token: 'OR'",
    ],
    ["SELECT Id FROM Account WHERE (Name = 'a'", "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Account LIMIT many', "unexpected token: 'many'"],
    ['SELECT Id FROM Account LIMIT 1.5', "unexpected token: '1.5'"],
    ['SELECT Id FROM Account ORDER Name', "unexpected token: 'Name'"],
    ['SELECT Id FROM Account ORDER BY Name NULLS MIDDLE', "unexpected token: 'MIDDLE'"],
    ['SELECT Id FROM Account WHERE Name = bogus', "unexpected token: 'bogus'"],
    ['SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS', "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Account GROUP BY Name', "unexpected token: 'GROUP'"],
    ['SELECT Id FROM Account extra', "unexpected token: 'extra'"],
  ])('%s → %s', (soql, message) => {
    expect(failure(soql)).toEqual({ code: 'MALFORMED_QUERY', message, status: 400 });
  });

  it('rejects an unterminated string and an unknown escape', () => {
    expect(failure("SELECT Id FROM Account WHERE Name = 'open").code).toBe('MALFORMED_QUERY');
    expect(failure("SELECT Id FROM Account WHERE Name = 'a\\qb'")).toMatchObject({
      code: 'MALFORMED_QUERY',
      message: expect.stringContaining("Illegal character sequence '\\q' in string literal"),
    });
  });

  it('rejects characters SOQL does not have', () => {
    expect(failure('SELECT Id FROM Account WHERE Name = #')).toMatchObject({
      code: 'MALFORMED_QUERY',
      message: expect.stringContaining("'#'"),
    });
  });

  it('refuses aggregates other than COUNT(), and COUNT() beside fields', () => {
    expect(failure('SELECT COUNT(Id) FROM Account').code).toBe('MALFORMED_QUERY');
    expect(failure('SELECT MAX(Amount) FROM Opportunity').code).toBe('MALFORMED_QUERY');
    expect(failure('SELECT COUNT(), Name FROM Account').code).toBe('MALFORMED_QUERY');
  });

  it('refuses semi-joins and nested subqueries', () => {
    expect(
      failure('SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity)').code,
    ).toBe('MALFORMED_QUERY');
    expect(
      failure(
        'SELECT (SELECT (SELECT Id FROM OpportunityLineItems) FROM Opportunities) FROM Account',
      ).code,
    ).toBe('MALFORMED_QUERY');
  });

  it('rejects a field selected twice', () => {
    expect(failure('SELECT Name, name FROM Account')).toEqual({
      code: 'MALFORMED_QUERY',
      message: 'duplicate field selected: name',
      status: 400,
    });
  });
});

describe('unknown names', () => {
  it('answers INVALID_TYPE for an unknown object', () => {
    expect(failure('SELECT Id FROM Foo')).toEqual({
      code: 'INVALID_TYPE',
      status: 400,
      message:
        "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('answers INVALID_FIELD for an unknown field, naming the entity that lacks it', () => {
    expect(failure('SELECT Id, Foo FROM Account')).toEqual({
      code: 'INVALID_FIELD',
      status: 400,
      message:
        "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    expect(failure('SELECT Account.Foo FROM Opportunity').message).toContain(
      "No such column 'Foo' on entity 'Account'",
    );
    expect(failure("SELECT Id FROM Account WHERE Foo = 'x'").message).toContain(
      "No such column 'Foo' on entity 'Account'",
    );
    expect(failure('SELECT Id FROM Account ORDER BY Foo').code).toBe('INVALID_FIELD');
  });

  it('answers INVALID_FIELD for an unknown parent relationship', () => {
    expect(failure('SELECT Foo.Name FROM Opportunity')).toMatchObject({
      code: 'INVALID_FIELD',
      message: expect.stringMatching(/^Didn't understand relationship 'Foo' in field path/),
    });
    // A reference field's own name is not its relationship name.
    expect(failure('SELECT AccountId.Name FROM Opportunity').code).toBe('INVALID_FIELD');
  });

  it('answers INVALID_TYPE for an unknown child relationship', () => {
    expect(failure('SELECT (SELECT Id FROM Lines) FROM Opportunity')).toMatchObject({
      code: 'INVALID_TYPE',
      message: expect.stringMatching(
        /^Didn't understand relationship 'Lines' in FROM part of query call/,
      ),
    });
  });
});

describe('values of the wrong type answer INVALID_QUERY_FILTER_OPERATOR', () => {
  it.each([
    ["SELECT Id FROM Account WHERE Id = 'xyz'", 'invalid ID field: xyz'],
    [
      "SELECT Id FROM Opportunity WHERE AccountId IN ('001000000000000AAA', 'nope')",
      'invalid ID field: nope',
    ],
    [
      "SELECT Id FROM Opportunity WHERE Amount = '5'",
      "value of filter criterion for field 'Amount' must be of type double and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM Account WHERE Name = 5',
      "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    ],
    [
      "SELECT Id FROM Opportunity WHERE IsWon = 'true'",
      "value of filter criterion for field 'IsWon' must be of type boolean and should not be enclosed in quotes",
    ],
    [
      "SELECT Id FROM Opportunity WHERE CloseDate = '2026-11-20'",
      "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM Opportunity WHERE CloseDate = 2026-11-20T00:00:00Z',
      "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM Account WHERE CreatedDate > 2026-11-20',
      "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM Account WHERE Name = TODAY',
      "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    ],
  ])('%s → %s', (soql, message) => {
    expect(failure(soql)).toEqual({ code: 'INVALID_QUERY_FILTER_OPERATOR', message, status: 400 });
  });

  it('rejects LIKE on a number and < on a boolean', () => {
    expect(failure("SELECT Id FROM Opportunity WHERE Amount LIKE '5%'").code).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(failure('SELECT Id FROM Opportunity WHERE IsWon < true').code).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
  });

  it('rejects an impossible calendar date', () => {
    expect(failure('SELECT Id FROM Opportunity WHERE CloseDate = 2026-02-30').code).toBe(
      'MALFORMED_QUERY',
    );
  });
});
