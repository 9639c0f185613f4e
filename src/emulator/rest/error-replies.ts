import type { FastifyInstance } from 'fastify';
import { messageOf } from '../../shared/index.ts';
import { SalesforceApiError, notFound } from '../api-error.ts';
import { notFoundMessage } from './out-of-scope.ts';

/**
 * Errors as the REST API sends them: `[{"errorCode", "message"}]` with Salesforce's status, a
 * body Fastify cannot parse as JSON_PARSER_ERROR, and NOT_FOUND for a resource it does not serve.
 */
export function restErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SalesforceApiError)
      return reply.code(error.status).send(error.toRestBody());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400) {
      return reply.code(400).send([{ errorCode: 'JSON_PARSER_ERROR', message: messageOf(error) }]);
    }
    return reply
      .code(status)
      .send([{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }]);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(notFound(notFoundMessage(request.url)).toRestBody()),
  );
}
