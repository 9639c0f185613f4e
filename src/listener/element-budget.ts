import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createStartTagCounter, SoapRejectedError } from '../soap/index.ts';

/**
 * The body has more start tags than `limits.maxElements`: refused while it is still arriving,
 * with the same code (and the catalogue's 413) as the parser's exact count.
 */
export class TooManyElementsError extends SoapRejectedError {
  /**
   * For Fastify's body reader, which this error reaches first: without a 4xx status of its own
   * it is stamped 400 on the way to the error handler (which answers the catalogue's 413).
   */
  readonly statusCode = this.httpStatus;

  constructor(message: string) {
    super('SOAP_TOO_MANY_ELEMENTS', message);
  }
}

/**
 * Counts start tags as the body streams in and stops reading past `maxElements`, so a body of
 * 500 000 `<a/>` is neither buffered in full nor parsed: the event loop stays free for others.
 * The parser enforces the same limit exactly; this is the cheap early cut.
 */
export function addElementBudget(
  app: FastifyInstance,
  maxElements: number,
  maxBytes: number,
): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    // A body whose declared length is over the size limit is refused by Fastify before it is
    // read, and Node then drains or closes it as usual; a stream piped in here would hold the
    // unread upload and turn the 413 fault into a connection reset.
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return payload;
    const count = createStartTagCounter();
    const budget = new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        if (count(chunk) > maxElements) {
          done(
            new TooManyElementsError(
              `message has more than ${maxElements} elements; nothing more of it was read`,
            ),
          );
          return;
        }
        done(null, chunk);
      },
    });
    // pipe, not pipeline: a refusal must not destroy the request, or the fault could not be sent.
    payload.on('error', (error) => budget.destroy(error));
    return payload.pipe(budget);
  });
}
