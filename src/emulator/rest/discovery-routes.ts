import type { Json } from './render-record.ts';
import {
  MAX_API_VERSION,
  MIN_API_VERSION,
  type RestContext,
  type RestRequest,
} from './rest-context.ts';

/** `GET /services/data` (the versions served) and `GET /services/data/vXX.X` (its resources). */
export function discoveryRoutes(context: RestContext): void {
  context.app.get('/services/data', async () =>
    Array.from({ length: MAX_API_VERSION - MIN_API_VERSION + 1 }, (_, i) => {
      const version = `${MIN_API_VERSION + i}.0`;
      return { label: `Version ${version}`, url: `/services/data/v${version}`, version };
    }),
  );

  // The resources this org serves, as "Resources by Version" lists them (REST API Developer
  // Guide, resources_discoveryresource.htm): relative URLs, except `identity`, an absolute URL
  // of the running user's identity (jsforce's `conn.identity()` reads it from here).
  context.app.get('/services/data/:version', async (request: RestRequest): Promise<Json> => {
    const version = context.apiVersion(request);
    const session = context.authenticate(request);
    const base = `/services/data/v${version}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      recent: `${base}/recent`,
      limits: `${base}/limits`,
      identity: `${context.instanceUrl()}/id/${session.organizationId}/${session.userId}`,
    };
  });
}
