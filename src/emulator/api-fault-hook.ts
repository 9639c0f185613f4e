import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeText } from '../soap/index.ts';
import type { ApiCounters } from './api-counters.ts';
import type { ApiFault, FaultInjector } from './faults.ts';

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
 * Applies injected faults to the data APIs (REST, SOAP, Apex REST; OAuth is left alone so a
 * client can always get a new token) and counts every API call by operation.
 */
export function registerApiHooks(
  app: FastifyInstance,
  faults: FaultInjector,
  counters: ApiCounters,
): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const api = apiOf(request.url);
    if (!api || api === 'oauth') return;
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
    if (!api) return;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
    const target =
      params.type ?? route.replace(/^\/services\/(data|Soap|apexrest|oauth2)\/(:version\/?)?/, '');
    counters.countCall(api, `${request.method} ${target}`);
  });
}
