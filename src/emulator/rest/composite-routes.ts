import type { FastifyRequest } from 'fastify';
import { SalesforceApiError } from '../api-error.ts';
import type { Json } from './render-record.ts';
import { bodyObject, type RestContext, type RestRequest } from './rest-context.ts';
import { subrequestHeaders } from './subrequest.ts';

/** "Composite": up to 25 sub-requests ("Composite", REST API Developer Guide, resources_composite_composite.htm). */
export const MAX_SUBREQUESTS = 25;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']);
/** Request headers a sub-request may set for itself (the rest come from the composite call). */
const FORWARDED_HEADERS = [
  'sforce-query-options',
  'if-match',
  'if-none-match',
  'if-modified-since',
];

interface SubResponse {
  readonly status: number;
  readonly body: Json | null;
  readonly headers: Record<string, string>;
}

const invalidRequest = (message: string): SalesforceApiError =>
  new SalesforceApiError('JSON_PARSER_ERROR', message);

/** The Composite response's error for a sub-request that was not run or was rolled back. */
const halted = (message: string): SubResponse => ({
  status: 400,
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  headers: {},
});
const ROLLED_BACK_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';

/** Runs one sub-request through the REST routes, as the calling user. */
async function dispatch(
  context: RestContext,
  caller: FastifyRequest,
  method: string,
  url: string,
  body: unknown,
  headers: Readonly<Record<string, unknown>> = {},
): Promise<SubResponse> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (FORWARDED_HEADERS.includes(name.toLowerCase()) && typeof value === 'string')
      forwarded[name.toLowerCase()] = value;
  }
  const response = await context.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...forwarded,
      ...(caller.headers.authorization === undefined
        ? {}
        : { authorization: caller.headers.authorization }),
      'content-type': 'application/json',
      ...subrequestHeaders(),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const location = response.headers.location;
  return {
    status: response.statusCode,
    body: response.body === '' ? null : (JSON.parse(response.body) as Json),
    headers: typeof location === 'string' ? { Location: location } : {},
  };
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** A value at `.name` / `[n]` steps inside a sub-request's JSON result. */
function walk(value: Json | null, path: string): Json | null | undefined {
  let current: Json | null | undefined = value;
  for (const [, name, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? current[Number(index ?? name)]
      : (current as Record<string, Json>)[name ?? index ?? ''];
  }
  return current;
}

class UnresolvedReference extends Error {}

/**
 * Replaces `@{referenceId.path}` in a URL or body with the value an earlier sub-request
 * answered ("Composite Subrequest": "reference the output of a previous subrequest").
 * A string that is one whole reference takes the value as it is (a number stays a number).
 */
function resolve(
  value: unknown,
  results: ReadonlyMap<string, SubResponse>,
  inUrl: boolean,
): unknown {
  const lookUp = (referenceId: string, path: string): Json | null => {
    const result = results.get(referenceId);
    const found = result && result.status < 400 ? walk(result.body, path) : undefined;
    if (found === undefined) {
      throw new UnresolvedReference(
        `Invalid reference specified. No value for ${referenceId}${path} found in ${referenceId}. Provided referenceId ('${referenceId}') must be a previous subrequest that succeeded.`,
      );
    }
    return found;
  };
  if (typeof value === 'string') {
    const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(value);
    if (whole && !inUrl) return lookUp(whole[1] ?? '', whole[2] ?? '');
    return value.replace(REFERENCE, (_all, referenceId: string, path: string) => {
      const found = lookUp(referenceId, path);
      const text = typeof found === 'string' ? found : JSON.stringify(found);
      return inUrl ? encodeURIComponent(text) : text;
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, results, inUrl));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolve(item, results, inUrl)]),
    );
  }
  return value;
}

/** The list of sub-requests under `key`: 1 to 25 of them, or the whole call fails with 400. */
function subrequestList(list: unknown, key: string): unknown[] {
  if (!Array.isArray(list) || list.length === 0)
    throw invalidRequest(`${key} must be a non-empty list of subrequests`);
  if (list.length > MAX_SUBREQUESTS) {
    throw new SalesforceApiError(
      'INVALID_INPUT',
      `${key} can contain at most ${MAX_SUBREQUESTS} subrequests; got ${list.length}`,
    );
  }
  return list;
}

/** A sub-request's `method`, upper-cased, or 400. */
function methodOf(item: Record<string, unknown>, where: string): string {
  const method = typeof item.method === 'string' ? item.method.toUpperCase() : '';
  if (!METHODS.has(method))
    throw invalidRequest(`${where}.method: GET, POST, PATCH, PUT or DELETE`);
  return method;
}

interface Subrequest {
  readonly method: string;
  readonly url: string;
  readonly referenceId: string;
  readonly body: unknown;
  readonly httpHeaders: Readonly<Record<string, unknown>>;
}

/** The `compositeRequest` list, checked before anything runs (a bad one fails the whole call). */
function subrequestsOf(body: unknown): { allOrNone: boolean; requests: Subrequest[] } {
  const { allOrNone, compositeRequest } = bodyObject(body, 'allOrNone and compositeRequest');
  const seen = new Set<string>();
  const list = subrequestList(compositeRequest, 'compositeRequest');
  const requests = list.map((raw: unknown, index): Subrequest => {
    const item = bodyObject(raw, `a subrequest (compositeRequest[${index}])`);
    const method = methodOf(item, `compositeRequest[${index}]`);
    const url = item.url;
    if (typeof url !== 'string' || !/^\/services\/data\/v\d+\.0\//.test(url))
      throw invalidRequest(`compositeRequest[${index}].url must start with /services/data/vXX.X/`);
    if (/^\/services\/data\/v\d+\.0\/composite\/?(?:batch|tree|graph)?\/?(?:\?|$)/.test(url))
      throw invalidRequest(
        `compositeRequest[${index}]: a composite request cannot contain another`,
      );
    const referenceId = item.referenceId;
    if (typeof referenceId !== 'string' || !/^[A-Za-z0-9_]+$/.test(referenceId))
      throw invalidRequest(`compositeRequest[${index}].referenceId: letters, digits and _ only`);
    if (seen.has(referenceId))
      throw invalidRequest(`Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    const headers = item.httpHeaders;
    return {
      method,
      url,
      referenceId,
      body: item.body,
      httpHeaders:
        typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>) : {},
    };
  });
  if (allOrNone !== undefined && typeof allOrNone !== 'boolean')
    throw invalidRequest('allOrNone must be true or false');
  return { allOrNone: allOrNone === true, requests };
}

interface BatchRequest {
  readonly method: string;
  readonly url: string;
  readonly richInput: unknown;
}

function batchRequestsOf(body: unknown): { haltOnError: boolean; requests: BatchRequest[] } {
  const { batchRequests, haltOnError } = bodyObject(body, 'batchRequests');
  const list = subrequestList(batchRequests, 'batchRequests');
  const requests = list.map((raw: unknown, index): BatchRequest => {
    const item = bodyObject(raw, `a subrequest (batchRequests[${index}])`);
    const method = methodOf(item, `batchRequests[${index}]`);
    if (typeof item.url !== 'string' || item.url === '')
      throw invalidRequest(`batchRequests[${index}].url is required`);
    // Batch URLs are relative to /services/data ("v60.0/sobjects/Account/…").
    const relative = item.url.replace(/^\/?(services\/data\/)?/, '');
    if (!/^v\d+\.0\//.test(relative))
      throw invalidRequest(`batchRequests[${index}].url must start with vXX.X/`);
    if (/^v\d+\.0\/composite(?:\/batch|\/tree|\/graph)?\/?(?:\?|$)/.test(relative))
      throw invalidRequest(`batchRequests[${index}]: a batch cannot contain a composite request`);
    return { method, url: `/services/data/${relative}`, richInput: item.richInput };
  });
  return { haltOnError: haltOnError === true, requests };
}

/**
 * Composite (`/composite`) and Composite Batch (`/composite/batch`), REST API Developer Guide:
 *
 * - Composite (resources_composite_composite.htm, responses_composite.htm): sub-requests run
 *   in order; each may use an earlier one's result as `@{referenceId.path}`. Answers 200
 *   `{"compositeResponse": [{"body", "httpHeaders", "httpStatusCode", "referenceId"}]}`. With
 *   `allOrNone` the first failure rolls everything back: the failed sub-request keeps its
 *   error, every other answers 400 PROCESSING_HALTED. Without it, later sub-requests still run,
 *   except those referring to a failed one (400 PROCESSING_HALTED).
 * - Batch (resources_composite_batch.htm, requests_composite_batch.htm): independent
 *   sub-requests, each committed on its own. Answers 200 `{"hasErrors", "results":
 *   [{"statusCode", "result"}]}`; with `haltOnError` those after a failure answer 412
 *   BATCH_PROCESSING_HALTED.
 */
export function compositeRoutes(context: RestContext): void {
  const { app, store } = context;

  app.post('/services/data/:version/composite', async (request: RestRequest) => {
    context.apiVersion(request);
    context.authenticate(request);
    const { allOrNone, requests } = subrequestsOf(request.body);
    const run = async (): Promise<{ commit: boolean; value: SubResponse[] }> => {
      const results = new Map<string, SubResponse>();
      const responses: SubResponse[] = [];
      for (const sub of requests) {
        let response: SubResponse;
        try {
          const url = resolve(sub.url, results, true) as string;
          const body = resolve(sub.body, results, false);
          response = await dispatch(context, request, sub.method, url, body, sub.httpHeaders);
        } catch (error) {
          if (!(error instanceof UnresolvedReference)) throw error;
          response = halted(error.message);
        }
        results.set(sub.referenceId, response);
        responses.push(response);
        if (response.status >= 400 && allOrNone) {
          const failedAt = responses.length - 1;
          return {
            commit: false,
            value: requests.map((_sub, index) =>
              index === failedAt ? response : halted(ROLLED_BACK_MESSAGE),
            ),
          };
        }
      }
      return { commit: true, value: responses };
    };
    const responses = allOrNone ? await store.atomically(run) : (await run()).value;
    return {
      compositeResponse: responses.map((response, index) => ({
        body: response.body,
        httpHeaders: response.headers,
        httpStatusCode: response.status,
        referenceId: requests[index]?.referenceId ?? '',
      })),
    };
  });

  app.post('/services/data/:version/composite/batch', async (request: RestRequest) => {
    context.apiVersion(request);
    context.authenticate(request);
    const { haltOnError, requests } = batchRequestsOf(request.body);
    const results: { statusCode: number; result: Json | null }[] = [];
    let halt = false;
    for (const sub of requests) {
      if (halt) {
        results.push({
          statusCode: 412,
          result: [
            {
              errorCode: 'BATCH_PROCESSING_HALTED',
              message: 'Batch processing halted per request',
            },
          ],
        });
        continue;
      }
      const response = await dispatch(context, request, sub.method, sub.url, sub.richInput);
      results.push({ statusCode: response.status, result: response.body });
      if (response.status >= 400 && haltOnError) halt = true;
    }
    return { hasErrors: results.some((r) => r.statusCode >= 400), results };
  });
}
