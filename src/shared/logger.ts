import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are censored wherever they appear in a log object, at any depth, compared
 * without case, `_` or `-` (`sessionId`, `session_id`, `SESSION-ID`). Our own code never logs a
 * credential on purpose; this is the second lock for the day someone logs a whole object.
 */
export const REDACTED_KEYS: readonly string[] = [
  'token',
  'accessToken',
  'refreshToken',
  'endpointToken',
  'clientSecret',
  'assertion',
  'sessionId',
  'password',
  'passphrase',
  'privateKey',
  'authorization',
  'proxyAuthorization',
  'cookie',
  'setCookie',
  'connectionString',
  'xSfrelayEndpointToken',
];

const CENSOR = '[redacted]';

/** The secret keys as written in code, for pino's path-based redaction of child bindings. */
const BINDING_PATHS = REDACTED_KEYS.flatMap((key) => {
  const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return snake === key ? [key] : [key, snake];
});
/** Deeper than any log object we write; a cycle or a monster is cut off here rather than walked. */
const MAX_DEPTH = 12;

const normalize = (key: string): string => key.replace(/[_-]/g, '').toLowerCase();
const SECRET_KEYS = new Set(REDACTED_KEYS.map(normalize));

/** `scheme://user:password@host` anywhere in a string: the password goes (connection strings). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi;

/** A copy of `value` with every secret-named key censored and URL passwords removed. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.includes('@') ? value.replace(URL_CREDENTIALS, `$1:${CENSOR}@`) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    // Still an Error (pino's serializer names its type), with its own fields censored.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    copy.message = redactSecrets(value.message, depth) as string;
    if (value.stack !== undefined) copy.stack = redactSecrets(value.stack, depth) as string;
    return Object.assign(copy, redactSecrets({ ...value }, depth));
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(normalize(key)) ? CENSOR : redactSecrets(item, depth + 1);
  }
  return copy;
}

export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'sf-relay' },
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    // Child bindings bypass `formatters.log`; pino's own redaction covers their keys.
    redact: { paths: BINDING_PATHS, censor: CENSOR },
  };
  return destination ? pino(options, destination) : pino(options);
}
