import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Inbox, StoreResult } from '../inbox/index.ts';
import {
  compileContract,
  findContractMismatches,
  parseOutboundMessage,
  renderAck,
  withServiceLocation,
  type ContractPolicy,
  type OutboundWsdl,
  type OutboundMessage,
  type XmlReadLimits,
} from '../soap/index.ts';
import { ENDPOINT_TOKEN_HEADER, endpointTokenMatches, presentedToken } from './endpoint-token.ts';
import {
  EndpointNotFoundError,
  ContractMismatchError,
  EndpointTokenError,
  OrgNotAllowedError,
  UnsupportedMediaTypeError,
  WrongSoapActionError,
} from './errors.ts';
import { refuse } from './fault-answer.ts';
import { createOrgAllowList } from './org-allow-list.ts';

export const OUTBOUND_PATH = '/soap/outbound';

export interface OutboundRouteOptions {
  readonly inbox: Inbox;
  readonly allowedOrganizationIds: readonly string[];
  /** When set, messages are accepted only at `/soap/outbound/<token>`. */
  readonly endpointToken?: string | undefined;
  /** Served on `?wsdl`; its sObject type is assumed for an sObject without `xsi:type`. */
  readonly wsdl: OutboundWsdl;
  /**
   * How messages are held to `wsdl`, or undefined when the WSDL is the bundled default rather
   * than one the operator configured: then nothing beyond the envelope is enforced.
   */
  readonly contract?: ContractEnforcement | undefined;
  readonly limits: XmlReadLimits;
  /** Told about every committed message (wakes a worker in this process; demo and metrics count). */
  readonly onStored?: ((result: StoreResult, ackSeconds: number) => void) | undefined;
}

export interface ContractEnforcement extends ContractPolicy {
  /**
   * A message that does not match: `hold` (default) stores the mismatching notifications
   * `held` and acks; `refuse` faults the whole message (Salesforce retries, then drops it
   * after 24 hours — choose it only if you watch its delivery status).
   */
  readonly onMismatch: 'hold' | 'refuse';
}

const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

interface TokenParams {
  token?: string;
}

/**
 * The outbound-message endpoint. The one rule: reply `<Ack>true</Ack>` only after the inbox
 * has committed every notification; anything else is a fault, so Salesforce retries.
 *
 * Faults use HTTP 500 as SOAP 1.1 §6.2 requires; refusals before the envelope is read
 * (endpoint token 401, media type 415, body size 413) use their own status and still carry a
 * fault body, which is what Salesforce shows an admin as the delivery failure reason. Every
 * error, caught here or by Fastify, is answered by `refuse` (see fault-answer.ts).
 */
export async function outboundRoute(
  app: FastifyInstance,
  options: OutboundRouteOptions,
): Promise<void> {
  // Read every body as raw bytes whatever its declared type: the handler decides, so a wrong
  // media type gets a SOAP fault rather than Fastify's generic JSON error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.limits.maxBytes },
    (_request, body, done) => done(null, body),
  );

  // Fastify's own refusals (a body over the limit, a broken request) and errors from the
  // element budget's stream arrive here rather than in a handler's catch.
  app.setErrorHandler((error, request, reply) => refuse(request, reply, error));

  const receive = messageReceiver(options);
  const gate = requestGate(options.endpointToken);
  app.post(OUTBOUND_PATH, { onRequest: gate }, receive);
  app.post(`${OUTBOUND_PATH}/:token`, { onRequest: gate }, receive);

  const describe = wsdlDescriber(options.wsdl);
  app.get(OUTBOUND_PATH, describe);
  app.get(
    `${OUTBOUND_PATH}/:token`,
    async (request: FastifyRequest<{ Params: TokenParams }>, reply) => {
      try {
        checkToken(
          options.endpointToken,
          presentedToken(options.endpointToken, request.params.token, request.headers),
        );
      } catch (error) {
        return refuse(request, reply, error);
      }
      return describe(request, reply);
    },
  );
}

/** The POST handler: parse, check the org and the contract, commit, and only then Ack. */
function messageReceiver(
  options: OutboundRouteOptions,
): (
  request: FastifyRequest<{ Params: TokenParams }>,
  reply: FastifyReply,
) => Promise<FastifyReply> {
  const isAllowedOrg = createOrgAllowList(options.allowedOrganizationIds);
  const parseOptions = { limits: options.limits, defaultObjectType: options.wsdl.objectType };
  const enforcement = options.contract;
  const contract = enforcement === undefined ? undefined : compileContract(options.wsdl.contract);
  return async (request, reply) => {
    const started = performance.now();
    try {
      checkSoapAction(request.headers.soapaction);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const message = parseOutboundMessage(body, parseOptions);
      if (!isAllowedOrg(message.organizationId)) {
        throw new OrgNotAllowedError(
          `organization ${message.organizationId} is not in allowedOrganizationIds; nothing was stored`,
        );
      }
      // After the allow-list, so only a known org learns what the WSDL declares.
      const mismatches =
        enforcement === undefined || contract === undefined
          ? undefined
          : findContractMismatches(message, contract, enforcement);
      if (mismatches !== undefined && mismatches.size > 0 && enforcement?.onMismatch === 'refuse') {
        const [[id, reason] = ['', '']] = mismatches;
        throw new ContractMismatchError(`notification ${id}: ${reason}; nothing was stored`);
      }
      const hold =
        mismatches === undefined
          ? undefined
          : new Map([...mismatches].map(([id, reason]) => [id, `CONTRACT_MISMATCH: ${reason}`]));
      const result = await options.inbox.store(message, { hold });
      logStored(request, message, result, performance.now() - started, hold);
      notifyStored(request, options.onStored, result, (performance.now() - started) / 1000);
      return reply.code(200).type(XML_CONTENT_TYPE).send(renderAck());
    } catch (error) {
      return refuse(request, reply, error);
    }
  };
}

/**
 * Token and media type are checked before the body is read, so a stranger cannot make the
 * relay buffer megabytes or hold a connection open just to be told no.
 */
function requestGate(
  endpointToken: string | undefined,
): (
  request: FastifyRequest<{ Params: TokenParams }>,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    try {
      checkToken(
        endpointToken,
        presentedToken(endpointToken, request.params.token, request.headers),
      );
      checkContentType(request.headers['content-type']);
      return undefined;
    } catch (error) {
      return refuse(request, reply, error);
    }
  };
}

/** GET: the WSDL on `?wsdl` (with this endpoint as its location), otherwise 405. */
function wsdlDescriber(
  wsdl: OutboundWsdl,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (!Object.hasOwn(query, 'wsdl')) {
      return reply
        .code(405)
        .header('allow', 'POST')
        .type('text/plain; charset=utf-8')
        .send(
          `POST Salesforce outbound messages here; GET ${OUTBOUND_PATH}?wsdl for the contract.\n`,
        );
    }
    const location = `${request.protocol}://${request.host}${request.url.split('?')[0] ?? OUTBOUND_PATH}`;
    return reply.type(XML_CONTENT_TYPE).send(withServiceLocation(wsdl, location));
  };
}

/**
 * One line per message; a held notification or an unusual duplicate (its stored twin still in
 * flight, or its fields changed) is a warning with what differs: a duplicate is normal, a
 * silent swallow of a different message is not.
 */
function logStored(
  request: FastifyRequest,
  message: OutboundMessage,
  result: StoreResult,
  ms: number,
  hold: ReadonlyMap<string, string> | undefined,
): void {
  const context = {
    event: 'outbound.stored',
    organizationId: message.organizationId,
    actionId: message.actionId,
    notifications: result.received,
    inserted: result.inserted,
    duplicates: result.duplicates,
    held: result.held,
    ms: Math.round(ms * 1000) / 1000,
  };
  request.log.info(context, 'outbound message stored');
  for (const [notificationId, reason] of hold ?? []) {
    request.log.warn(
      { event: 'outbound.held', notificationId, reason },
      'notification held: it does not match the configured WSDL; fix the WSDL or the outbound message, then `sf-relay replay --held`',
    );
  }
  for (const duplicate of result.unusualDuplicates) {
    request.log.warn(
      {
        event: 'outbound.duplicate',
        notificationId: duplicate.id,
        storedState: duplicate.state,
        differingFields: duplicate.differingFields,
      },
      duplicate.differingFields.length > 0
        ? 'redelivered notification differs from the stored one; the stored one is kept'
        : `redelivered notification is still ${duplicate.state}; the stored one is kept`,
    );
  }
}

/** The message is committed whatever happens here: a failing hook must not turn the Ack into a fault. */
function notifyStored(
  request: FastifyRequest,
  onStored: ((result: StoreResult, ackSeconds: number) => void) | undefined,
  result: StoreResult,
  ackSeconds: number,
): void {
  try {
    onStored?.(result, ackSeconds);
  } catch (error) {
    request.log.error(
      { err: error },
      'could not wake the worker; it will find the message at its next poll',
    );
  }
}

function checkToken(expected: string | undefined, given: string | undefined): void {
  if (expected === undefined) {
    if (given !== undefined) {
      throw new EndpointNotFoundError(
        `no endpoint token is configured; send outbound messages to ${OUTBOUND_PATH}`,
      );
    }
    return;
  }
  if (!endpointTokenMatches(expected, given)) {
    throw new EndpointTokenError(
      given === undefined
        ? `this endpoint requires a token: ${OUTBOUND_PATH}/<endpointToken>, or the ${ENDPOINT_TOKEN_HEADER} header`
        : 'the endpoint token is wrong',
    );
  }
}

function checkContentType(header: string | undefined): void {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'text/xml') {
    throw new UnsupportedMediaTypeError(
      `content type ${header === undefined ? '(none)' : JSON.stringify(header)} is not text/xml, which SOAP 1.1 requires`,
    );
  }
}

/** The generated WSDL binds `notifications` with `soapAction=""`; Salesforce sends `SOAPAction: ""`. */
function checkSoapAction(header: string | string[] | undefined): void {
  if (header === undefined) return;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() !== '""' && value.trim() !== '') {
    throw new WrongSoapActionError(
      `SOAPAction ${JSON.stringify(value.slice(0, 200))} is not the outbound message's empty action ""`,
    );
  }
}
