import type { FastifyReply } from 'fastify';
import type { OAuthError } from './oauth-error.ts';

/** Token-endpoint answers are never cached, successes and errors alike. */
export const NO_STORE = 'no-cache,must-revalidate,max-age=0,no-store,private';

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return reply.code(error.status).header('cache-control', NO_STORE).send(error.toBody());
}

/** The parsed `application/x-www-form-urlencoded` body, or an empty form for anything else. */
export function formOf(body: unknown): URLSearchParams {
  return body instanceof URLSearchParams ? body : new URLSearchParams();
}
