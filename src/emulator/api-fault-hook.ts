import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeText } from '../soap/index.ts';
import type { ApiCounters } from './api-counters.ts';
import type { ApiUsage } from './api-usage.ts';
import type { ApiFault, FaultInjector } from './faults.ts';
import { isSubrequest } from './rest/subrequest.ts';

type Api = 'rest' | 'soap' | 'apexrest' | 'oauth';

function apiOf(url: string): Api | undefined {
  if (url.startsWith('/services/data')) return 'rest';
  if (url.startsWith('/services/Soap/')) return 'soap';
  if (url.startsWith('/services/apexrest/')) return 'apexrest';
  if (url.startsWith('/services/oauth2/')) return 'oauth';
  return undefined;
}

const FAULTS: Readonly<
  Record<Exclude<ApiFault['kind'], 'latency'>, { status: number; code: string; message: string }>
> = {
  unavailable: {
    status: 503,
    code: 'SERVER_UNAVAILABLE',
    message: 'Service temporarily unavailable (injected by the emulator)',
  },
  invalid_session: {
    status: 401,
    code: 'INVALID_SESSION_ID',
    message: 'Session expired or invalid',
  },
  unable_to_lock_row: {
    status: 400,
    code: 'UNABLE_TO_LOCK_ROW',
    message:
      'unable to obtain exclusive access to this record or 1 records (injected by the emulator)',
  },
};

function soapFault(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>sf:${code}</faultcode><faultstring>${escapeText(`${code}: ${message}`)}</faultstring>` +
    `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${code}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${escapeText(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}

/**
 * Whether a call takes one of the org's daily API requests: every REST, SOAP and Apex REST
 * call, except the versions list (`/services/data`), which "doesn't count against the org's
 * limit" (REST API Developer Guide, "Limit Info Header", headers_api_usage.htm). OAuth doesn't.
 */
function countsAgainstLimit(api: Api, url: string): boolean {
  if (api === 'oauth') return false;
  return (url.split('?')[0] ?? '').replace(/\/+$/, '') !== '/services/data';
}

/**
 * The API's front door: takes each call from the daily allowance (REQUEST_LIMIT_EXCEEDED,
 * 403, once it is spent; `Sforce-Limit-Info: api-usage=N/M` on REST answers), applies injected
 * faults to the data APIs (REST, SOAP, Apex REST; OAuth is left alone so a client can always
 * get a new token) and counts every API call by operation. A composite request's sub-requests
 * are part of their call: not counted, not faulted.
 */
export function registerApiHooks(
  app: FastifyInstance,
  faults: FaultInjector,
  counters: ApiCounters,
  usage: ApiUsage,
): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const api = apiOf(request.url);
    if (!api || api === 'oauth' || isSubrequest(request)) return;
    if (countsAgainstLimit(api, request.url)) {
      const allowed = usage.take();
      if (api !== 'soap') reply.header('Sforce-Limit-Info', usage.header());
      if (!allowed) {
        // REST API Developer Guide, "Status Codes and Error Responses" (errorcodes.htm): 403
        // with REQUEST_LIMIT_EXCEEDED once the org's API request limit is spent; SOAP faults
        // with the same exception code. The message is the one orgs send in practice.
        const message = 'TotalRequests Limit exceeded.';
        if (api === 'soap') {
          return reply
            .code(500)
            .type('text/xml; charset=utf-8')
            .send(soapFault('REQUEST_LIMIT_EXCEEDED', message));
        }
        return reply.code(403).send([{ message, errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      }
    }
    const fault = faults.take();
    if (!fault) return;
    if (fault.kind === 'latency') {
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      return;
    }
    const { status, code, message } = FAULTS[fault.kind];
    counters.countCall(api, `fault ${code}`);
    if (api === 'soap') {
      return reply
        .code(status === 401 ? 500 : status)
        .type('text/xml; charset=utf-8')
        .send(soapFault(code, message));
    }
    return reply.code(status).send([{ message, errorCode: code }]);
  });

  app.addHook('onResponse', async (request: FastifyRequest) => {
    const api = apiOf(request.url);
    if (!api || isSubrequest(request)) return;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
    const target =
      params.type ?? route.replace(/^\/services\/(data|Soap|apexrest|oauth2)\/(:version\/?)?/, '');
    counters.countCall(api, `${request.method} ${target}`);
  });
}
