/**
 * The shared layer: small helpers every folder may import (through this file), and which
 * import no folder of ours in return, so they sit beneath every layer.
 */
export {
  SfRelayError,
  defineErrorCatalogue,
  type ErrorCatalogue,
  type ErrorDescription,
  type FaultCode,
} from './errors.ts';
export { systemClock, type Clock } from './clock.ts';
export { createLogger, redactSecrets, REDACTED_KEYS, type Logger } from './logger.ts';
export {
  describeFetchFailure,
  fetchFailureCode,
  fetchFailureReason,
  isFetchTimeout,
} from './http-failure.ts';
export {
  KeepAliveClient,
  MAX_REPLY_BYTES,
  ReplyTooLargeError,
  type ExchangeReply,
  type ExchangeRequest,
} from './keep-alive-client.ts';
export { messageOf } from './error-message.ts';
export { seededRandom } from './seeded-random.ts';
export { renderLabelledRows } from './labelled-rows.ts';
export { StartedParts, startOrUndo, type Stop } from './started-parts.ts';
