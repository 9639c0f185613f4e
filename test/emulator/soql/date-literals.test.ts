import { describe, expect, it } from 'vitest';
import { resolveDateLiteral } from '../../../src/emulator/soql/date-literals.ts';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { fieldValue, newStore } from './org-fixture.ts';

/** Deals closing on 2026-11-16 … 2026-11-24 and 2026-12-01, created a day apart from 2026-11-16. */
function dealsAroundToday(): ReturnType<typeof newStore> {
  const org = newStore(new Date('2026-11-16T12:00:00Z'));
  const days = [
    '2026-11-16',
    '2026-11-17',
    '2026-11-18',
    '2026-11-19',
    '2026-11-20',
    '2026-11-21',
    '2026-11-22',
    '2026-11-23',
    '2026-11-24',
    '2026-12-01',
  ];
  for (const [i, day] of days.entries()) {
    org.clock.at = new Date(Date.parse('2026-11-16T12:00:00Z') + i * 86_400_000);
    org.store.create('Opportunity', { Name: day, StageName: 'Prospecting', CloseDate: day }, null);
  }
  return org;
}

const { store } = dealsAroundToday();
// A Friday; the org's time zone is UTC.
const now = new Date('2026-11-20T23:30:00Z');
const closing = (where: string): unknown[] =>
  runSoql(store, `SELECT Name FROM Opportunity WHERE ${where} ORDER BY CloseDate`, {
    now,
  }).records.map((r) => fieldValue(r, 'Name'));

describe('relative date literals on date fields', () => {
  it('TODAY, YESTERDAY and TOMORROW are single days relative to options.now', () => {
    expect(closing('CloseDate = TODAY')).toEqual(['2026-11-20']);
    expect(closing('CloseDate = yesterday')).toEqual(['2026-11-19']);
    expect(closing('CloseDate = TOMORROW')).toEqual(['2026-11-21']);
  });

  it('LAST_N_DAYS:n includes today and n days before it', () => {
    expect(closing('CloseDate = LAST_N_DAYS:2')).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
    ]);
  });

  it('NEXT_N_DAYS:n runs from today through n days ahead', () => {
    expect(closing('CloseDate = NEXT_N_DAYS:2')).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
  });

  it('THIS_MONTH covers the calendar month', () => {
    expect(closing('CloseDate = THIS_MONTH')).toHaveLength(9);
    expect(closing('CloseDate = NEXT_MONTH')).toEqual(['2026-12-01']);
  });

  it('compares a range with < <= > >= and != by its bounds', () => {
    expect(closing('CloseDate < LAST_N_DAYS:1')).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
    ]);
    expect(closing('CloseDate <= YESTERDAY')).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
    ]);
    expect(closing('CloseDate > TODAY AND CloseDate < THIS_MONTH')).toEqual([]);
    expect(closing('CloseDate > TODAY AND CloseDate < NEXT_MONTH')).toEqual([
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    expect(closing('CloseDate >= TOMORROW AND CloseDate != NEXT_MONTH')).toEqual([
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
  });

  it('THIS_WEEK starts on Sunday (en_US locale)', () => {
    expect(closing('CloseDate = THIS_WEEK')).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
    ]);
  });
});

describe('relative date literals on datetime fields', () => {
  it('cover whole UTC days of the datetime', () => {
    expect(closing('CreatedDate = TODAY')).toEqual(['2026-11-20']);
    expect(closing('CreatedDate = LAST_N_DAYS:1')).toEqual(['2026-11-19', '2026-11-20']);
    expect(closing('CreatedDate > TODAY')).toEqual([
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-12-01',
    ]);
  });

  it('default to the current time when options.now is not given', () => {
    const org = newStore(new Date());
    org.store.create('Account', { Name: 'made today' }, null);
    expect(runSoql(org.store, 'SELECT Id FROM Account WHERE CreatedDate = TODAY').totalSize).toBe(
      1,
    );
  });
});

describe('resolveDateLiteral', () => {
  it('handles month and year ends', () => {
    const newYearsEve = new Date('2026-12-31T08:00:00Z');
    expect(resolveDateLiteral('THIS_MONTH', undefined, newYearsEve)).toEqual({
      start: '2026-12-01',
      end: '2027-01-01',
    });
    expect(resolveDateLiteral('NEXT_MONTH', undefined, newYearsEve)).toEqual({
      start: '2027-01-01',
      end: '2027-02-01',
    });
    expect(resolveDateLiteral('TOMORROW', undefined, newYearsEve)).toEqual({
      start: '2027-01-01',
      end: '2027-01-02',
    });
    expect(resolveDateLiteral('LAST_N_DAYS', 365, newYearsEve)).toEqual({
      start: '2025-12-31',
      end: '2027-01-01',
    });
    expect(resolveDateLiteral('THIS_YEAR', undefined, newYearsEve)).toEqual({
      start: '2026-01-01',
      end: '2027-01-01',
    });
  });
});
