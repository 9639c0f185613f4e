import type { FastifyInstance } from 'fastify';
import { SalesforceApiError } from '../api-error.ts';

/**
 * JSON bodies as Salesforce reads them. Clients send `Content-Type: application/json` on every
 * call, bodiless ones included (simple-salesforce on DELETE and GET, jsforce's `requestDelete`
 * with custom headers): an empty body is no body, not a parse error.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request, body: string, done) => {
      if (body.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body) as unknown);
      } catch (error) {
        done(
          new SalesforceApiError(
            'JSON_PARSER_ERROR',
            `Unexpected character in the JSON request body: ${(error as Error).message}`,
          ),
          undefined,
        );
      }
    },
  );
}
