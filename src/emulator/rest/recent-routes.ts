import type { Session } from '../auth/session-authority.ts';
import { recordUrl, type Json } from './render-record.ts';
import type { RestContext, RestRequest } from './rest-context.ts';

/**
 * The running user's recently viewed records, newest first, as "Recently Viewed Items"
 * (REST API Developer Guide, resources_recent_items.htm) lists them:
 * `[{"attributes": {"type", "url"}, "Id", "Name"}]`; `type` narrows to one object (the
 * `recentItems` of `GET /sobjects/{type}`).
 */
export function recentItemsOf(
  context: RestContext,
  session: Session,
  version: string,
  type?: string,
  limit = 200,
): Json[] {
  const items: Json[] = [];
  for (const id of context.recent.list(session.userId)) {
    if (items.length >= limit) break;
    const record = context.store.get(id);
    if (!record || (type !== undefined && record.type !== type)) continue;
    items.push({
      attributes: { type: record.type, url: recordUrl(version, record.type, record.id) },
      Id: record.id,
      Name: record.values.get('Name') ?? record.values.get('CaseNumber') ?? null,
    });
  }
  return items;
}

/** `GET /recent?limit=n`: what `SELECT … FOR VIEW` / `FOR REFERENCE` queries marked. */
export function recentRoutes(context: RestContext): void {
  context.app.get('/services/data/:version/recent', async (request: RestRequest) => {
    const version = context.apiVersion(request);
    const session = context.authenticate(request);
    const limit = Number(request.query.limit ?? 200);
    return recentItemsOf(
      context,
      session,
      version,
      undefined,
      Number.isInteger(limit) && limit > 0 ? Math.min(limit, 200) : 200,
    );
  });
}
