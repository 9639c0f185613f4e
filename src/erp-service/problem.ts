import { KEY_REUSED_PROBLEM } from '../erp/index.ts';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** One thing wrong with a request, named by where it is (`lines.0.quantity`). */
export interface ProblemIssue {
  readonly path: string;
  readonly message: string;
}

/** An RFC 7807 problem body, the shape every error of the reference ERP answers with. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly ProblemIssue[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs: stable identifiers a client may branch on, never meant to resolve. */
export const PROBLEM_TYPES = {
  invalidRequest: 'urn:sf-relay:erp:invalid-request',
  idempotencyKeyReused: KEY_REUSED_PROBLEM,
  notFound: 'urn:sf-relay:erp:not-found',
  unavailable: 'urn:sf-relay:erp:unavailable',
  internal: 'urn:sf-relay:erp:internal-error',
} as const;

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function issuesOf(error: z.ZodError, prefix?: string): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined).join('.') || 'body',
    message: issue.message,
  }));
}

/** 400 naming every field that is wrong, so one round trip shows the caller all of them. */
export function invalidRequest(title: string, errors: readonly ProblemIssue[]): Problem {
  return {
    type: PROBLEM_TYPES.invalidRequest,
    title,
    status: 400,
    detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  };
}
