/**
 * SOQL's relative date literals (TODAY, LAST_N_DAYS:n, …) as half-open ranges of days. The
 * emulated org's time zone is UTC, so a day runs 00:00:00Z to 24:00:00Z, and its locale is
 * en_US, so weeks start on Sunday.
 */

export interface DayRange {
  /** First day in the range, `YYYY-MM-DD`. */
  readonly start: string;
  /** First day after the range, `YYYY-MM-DD`. */
  readonly end: string;
}

const DAY_MS = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function midnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function days(today: number, from: number, to: number): DayRange {
  return { start: day(today + from * DAY_MS), end: day(today + to * DAY_MS) };
}

function month(now: Date, offset: number): DayRange {
  const year = now.getUTCFullYear();
  const index = now.getUTCMonth() + offset;
  return { start: day(Date.UTC(year, index, 1)), end: day(Date.UTC(year, index + 1, 1)) };
}

function year(now: Date, offset: number): DayRange {
  const y = now.getUTCFullYear() + offset;
  return { start: day(Date.UTC(y, 0, 1)), end: day(Date.UTC(y + 1, 0, 1)) };
}

function week(now: Date, offset: number): DayRange {
  const sunday = midnight(now) - now.getUTCDay() * DAY_MS;
  return days(sunday, offset * 7, offset * 7 + 7);
}

type Resolver = (now: Date, n: number) => DayRange;

const FIXED: Readonly<Record<string, Resolver>> = {
  YESTERDAY: (now) => days(midnight(now), -1, 0),
  TODAY: (now) => days(midnight(now), 0, 1),
  TOMORROW: (now) => days(midnight(now), 1, 2),
  LAST_WEEK: (now) => week(now, -1),
  THIS_WEEK: (now) => week(now, 0),
  NEXT_WEEK: (now) => week(now, 1),
  LAST_MONTH: (now) => month(now, -1),
  THIS_MONTH: (now) => month(now, 0),
  NEXT_MONTH: (now) => month(now, 1),
  LAST_YEAR: (now) => year(now, -1),
  THIS_YEAR: (now) => year(now, 0),
  NEXT_YEAR: (now) => year(now, 1),
  // Salesforce: LAST_90_DAYS includes today (91 days); NEXT_90_DAYS starts tomorrow.
  LAST_90_DAYS: (now) => days(midnight(now), -90, 1),
  NEXT_90_DAYS: (now) => days(midnight(now), 1, 91),
};

const WITH_N: Readonly<Record<string, Resolver>> = {
  // As observed on real orgs, LAST_N_DAYS:1 is yesterday and today, and NEXT_N_DAYS:1 today and tomorrow.
  LAST_N_DAYS: (now, n) => days(midnight(now), -n, 1),
  NEXT_N_DAYS: (now, n) => days(midnight(now), 0, n + 1),
  N_DAYS_AGO: (now, n) => days(midnight(now), -n, -n + 1),
  LAST_N_MONTHS: (now, n) => ({ start: month(now, -n).start, end: month(now, -1).end }),
  NEXT_N_MONTHS: (now, n) => ({ start: month(now, 1).start, end: month(now, n).end }),
};

export function isDateLiteralName(name: string): boolean {
  const upper = name.toUpperCase();
  return Object.hasOwn(FIXED, upper) || Object.hasOwn(WITH_N, upper);
}

export function dateLiteralTakesN(name: string): boolean {
  return Object.hasOwn(WITH_N, name.toUpperCase());
}

/** The range a literal stands for at `now`; the parser only lets known names through. */
export function resolveDateLiteral(name: string, n: number | undefined, now: Date): DayRange {
  const upper = name.toUpperCase();
  const resolver = FIXED[upper] ?? WITH_N[upper];
  if (resolver === undefined) throw new RangeError(`unknown date literal ${name}`);
  return resolver(now, n ?? 0);
}
