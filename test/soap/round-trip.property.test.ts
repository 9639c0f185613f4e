import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseOutboundMessage,
  renderOutboundMessage,
  SoapRejectedError,
} from '../../src/soap/index.ts';
import { mutate, mutation, outboundMessage } from '../support/outbound-message-arbitrary.ts';

describe('outbound message render → parse', () => {
  it('round-trips any valid message unchanged', () => {
    fc.assert(
      fc.property(outboundMessage, (message) => {
        const parsed = parseOutboundMessage(renderOutboundMessage(message));
        expect(parsed).toEqual(message);
        // Field order is part of the contract (Salesforce sends them alphabetically; we keep order).
        parsed.notifications.forEach((notification, i) => {
          expect(Object.keys(notification.sObject?.fields ?? {})).toEqual(
            Object.keys(message.notifications[i]?.sObject?.fields ?? {}),
          );
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('outbound message parser under random mutation', () => {
  it('either parses or throws SoapRejectedError, never anything else', () => {
    fc.assert(
      fc.property(
        outboundMessage,
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (message, mutations) => {
          const xml = mutate(renderOutboundMessage(message), mutations);
          try {
            parseOutboundMessage(xml);
          } catch (error) {
            if (!(error instanceof SoapRejectedError)) throw error;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('treats the bytes of a mutated message the same way', () => {
    fc.assert(
      fc.property(
        outboundMessage,
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        fc.nat(),
        (message, bytes, at) => {
          const original = Buffer.from(renderOutboundMessage(message), 'utf8');
          const position = at % original.length;
          const input = Buffer.concat([
            original.subarray(0, position),
            bytes,
            original.subarray(position),
          ]);
          try {
            parseOutboundMessage(input);
          } catch (error) {
            if (!(error instanceof SoapRejectedError)) throw error;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
