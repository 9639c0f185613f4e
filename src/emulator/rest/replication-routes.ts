import { SalesforceApiError } from '../api-error.ts';
import type { RestContext, RestRequest } from './rest-context.ts';

/** Replication covers the last 30 days ("Get Updated Records" / "Get Deleted Records"). */
const MAX_AGE_MS = 30 * 24 * 3_600_000;
const MINUTE_MS = 60_000;

/** REST's dateTime form, `2026-11-28T08:00:00.000+0000`. */
const restDateTime = (time: number): string => new Date(time).toISOString().replace(/Z$/, '+0000');

function instant(name: string, raw: string | undefined): number {
  const text = (raw ?? '')
    .trim()
    .replace(/ /g, '+')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = text === '' ? NaN : Date.parse(text);
  if (Number.isNaN(time)) {
    throw new SalesforceApiError(
      'INVALID_REPLICATION_DATE',
      `${name}: a dateTime like 2026-11-28T08:00:00+00:00 is required`,
    );
  }
  return time;
}

/**
 * The replication API (REST API Developer Guide, "sObject Get Updated" and "sObject Get
 * Deleted", resources_getupdated.htm and resources_getdeleted.htm):
 *
 *   GET /sobjects/{type}/updated/?start=…&end=…
 *       → {"ids": […], "latestDateCovered": "…+0000"}
 *   GET /sobjects/{type}/deleted/?start=…&end=…
 *       → {"deletedRecords": [{"id", "deletedDate"}], "earliestDateAvailable", "latestDateCovered"}
 *
 * Salesforce works in whole minutes: seconds are dropped from both ends, and the window ends no
 * later than now. `start` must be within the last 30 days and before `end`
 * (INVALID_REPLICATION_DATE).
 */
export function replicationRoutes(context: RestContext): void {
  const { app, store, clock } = context;

  const window = (request: RestRequest): { start: number; end: number } => {
    const now = clock.now().getTime();
    const start = Math.floor(instant('start', request.query.start) / MINUTE_MS) * MINUTE_MS;
    const end =
      Math.floor(Math.min(instant('end', request.query.end), now) / MINUTE_MS) * MINUTE_MS;
    if (start < now - MAX_AGE_MS) {
      throw new SalesforceApiError(
        'INVALID_REPLICATION_DATE',
        'startDate cannot be more than 30 days ago',
      );
    }
    if (end < start)
      throw new SalesforceApiError('INVALID_REPLICATION_DATE', 'EndDate before StartDate');
    return { start, end };
  };
  const within = (value: unknown, start: number, end: number): boolean => {
    const time = typeof value === 'string' ? Date.parse(value) : NaN;
    return time >= start && time < end + MINUTE_MS;
  };

  app.get('/services/data/:version/sobjects/:type/updated', async (request: RestRequest) => {
    context.apiVersion(request);
    context.authenticate(request);
    const type = store.schema.get(request.params.type ?? '').definition.name;
    const { start, end } = window(request);
    const ids: string[] = [];
    for (const record of store.scan(type))
      if (within(record.values.get('SystemModstamp'), start, end)) ids.push(record.id);
    return { ids, latestDateCovered: restDateTime(end) };
  });

  app.get('/services/data/:version/sobjects/:type/deleted', async (request: RestRequest) => {
    context.apiVersion(request);
    context.authenticate(request);
    const type = store.schema.get(request.params.type ?? '').definition.name;
    const { start, end } = window(request);
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    let earliest = end;
    for (const record of store.scan(type, { includeDeleted: true })) {
      if (!record.deleted) continue;
      // A deleted record's last modification is its deletion.
      const deletedAt = Date.parse(String(record.values.get('SystemModstamp')));
      earliest = Math.min(earliest, deletedAt);
      if (within(record.values.get('SystemModstamp'), start, end))
        deletedRecords.push({ id: record.id, deletedDate: restDateTime(deletedAt) });
    }
    return {
      deletedRecords,
      earliestDateAvailable: restDateTime(Math.floor(earliest / MINUTE_MS) * MINUTE_MS),
      latestDateCovered: restDateTime(end),
    };
  });
}
