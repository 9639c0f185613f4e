import type { FastifyReply, FastifyRequest } from 'fastify';
import { INBOX_ERRORS, NotificationConflictError } from '../inbox/index.ts';
import { SfRelayError, type ErrorDescription, type FaultCode } from '../shared/index.ts';
import { renderFault, SOAP_ERRORS, SoapRejectedError } from '../soap/index.ts';
import { LISTENER_ERRORS } from './error-catalogue.ts';
import { ListenerRefusalError } from './errors.ts';

/** How the listener answers one failed request: decided once, from the error catalogues. */
export interface FaultAnswer {
  readonly status: number;
  readonly faultCode: FaultCode;
  readonly errorCode: string;
  /** Safe to send: the sender's own mistake in our words, or a generic line for our failures. */
  readonly faultString: string;
  /** A refusal is the sender's problem (warn); a failure or a forged id is ours to look at (error). */
  readonly level: 'warn' | 'error';
  /** The relay's own failure (store down, a bug): the log needs the stack, the sender gets none. */
  readonly failure: boolean;
  readonly logMessage: string;
}

/** Fastify's code for a body over `bodyLimit`, answered as the catalogue's SOAP_TOO_LARGE. */
const FASTIFY_BODY_TOO_LARGE = 'FST_ERR_CTP_BODY_TOO_LARGE';

const GENERIC_FAILURE =
  'the relay could not store this message; nothing was acknowledged, Salesforce will retry';

/**
 * Every error the listener can meet, whichever hook or handler caught it, ends here, so a
 * status, fault code or error code can only come from a catalogue.
 */
export function faultAnswerFor(error: unknown): FaultAnswer {
  // The element budget's early cut is one of these too (SOAP_TOO_MANY_ELEMENTS, 413).
  if (error instanceof SoapRejectedError) {
    return refusal(error.httpStatus, error.faultCode, error.code, error.message);
  }
  if (error instanceof ListenerRefusalError) {
    // Never the token itself: the message names only what was expected.
    const { http } = catalogued(error.code) ?? LISTENER_ERRORS.errors.INTERNAL;
    return refusal(error.httpStatus, http.fault, error.code, error.message);
  }
  if (error instanceof NotificationConflictError) {
    const { http } = INBOX_ERRORS.errors.NOTIFICATION_ID_CONFLICT;
    // An error, not a warning: one of the two senders is forged or corrupt.
    return {
      ...refusal(http.status, http.fault, error.code, error.message),
      level: 'error',
      logMessage: 'outbound message refused: notification id conflict',
    };
  }
  if (codeOf(error) === FASTIFY_BODY_TOO_LARGE) {
    const { http } = SOAP_ERRORS.errors.SOAP_TOO_LARGE;
    return refusal(
      http.status,
      http.fault,
      'SOAP_TOO_LARGE',
      'the body is larger than limits.maxBodyBytes; nothing of it was stored',
    );
  }
  if (isFrameworkClientError(error)) {
    const { http } = LISTENER_ERRORS.errors.REQUEST_INVALID;
    // Fastify's text for a broken request names only the request, never its content.
    return refusal(http.status, http.fault, 'REQUEST_INVALID', error.message);
  }
  // Ours, not the sender's: the store could not commit, or a bug. Salesforce will retry.
  const code = error instanceof SfRelayError ? error.code : 'INTERNAL';
  const { http } = catalogued(code) ?? LISTENER_ERRORS.errors.INTERNAL;
  return {
    status: http.status,
    faultCode: http.fault,
    errorCode: code,
    faultString: GENERIC_FAILURE,
    level: 'error',
    failure: true,
    logMessage: 'outbound message not stored',
  };
}

/**
 * The listener's one error path: every hook, handler and Fastify's error handler answer a
 * failed request here, logged once and sent as a SOAP fault whatever the status (Salesforce
 * shows its faultstring to an admin as the delivery failure reason).
 */
export function refuse(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const answer = faultAnswerFor(error);
  const peer = request.raw.socket.remoteAddress;
  // A failure of ours is logged with its stack; a refusal with the reason the sender was given.
  const context = answer.failure
    ? { err: error, code: answer.errorCode, peer }
    : { code: answer.errorCode, reason: answer.faultString, peer };
  request.log[answer.level](context, answer.logMessage);
  return reply
    .code(answer.status)
    .type('text/xml; charset=utf-8')
    .send(
      renderFault({
        faultCode: answer.faultCode,
        faultString: answer.faultString,
        errorCode: answer.errorCode,
      }),
    );
}

function refusal(
  status: number,
  faultCode: FaultCode,
  errorCode: string,
  faultString: string,
): FaultAnswer {
  return {
    status,
    faultCode,
    errorCode,
    faultString,
    level: 'warn',
    failure: false,
    logMessage: 'outbound message refused',
  };
}

/** The listener answers codes from three catalogues; one lookup keeps them from drifting apart. */
const ANSWERED: Readonly<Record<string, ErrorDescription>> = {
  ...SOAP_ERRORS.errors,
  ...INBOX_ERRORS.errors,
  ...LISTENER_ERRORS.errors,
};

function catalogued(
  code: string,
): { readonly http: { readonly status: number; readonly fault: FaultCode } } | undefined {
  const http = ANSWERED[code]?.http;
  return http === undefined ? undefined : { http };
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** A Fastify refusal of the HTTP request itself (a 4xx it raised before our handler ran). */
function isFrameworkClientError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  const status = 'statusCode' in error ? error.statusCode : undefined;
  return (
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  );
}
