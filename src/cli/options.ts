import { InvalidArgumentError } from 'commander';
import { MESSAGE_STATES, isMessageState, type MessageState } from '../inbox/index.ts';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('must be a whole number from 0 to 65535');
  }
  return port;
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1)
    throw new InvalidArgumentError('must be a whole number above 0');
  return number;
}

/** A `--limit`: a whole number from 1 to `max`, the most the command will list. */
export function parseLimit(max: number): (value: string) => number {
  return (value) => {
    const number = parsePositiveInt(value);
    if (number > max) throw new InvalidArgumentError(`must be at most ${max}`);
    return number;
  };
}

export function parseState(value: string): MessageState {
  if (!isMessageState(value))
    throw new InvalidArgumentError(`must be one of ${MESSAGE_STATES.join(', ')}`);
  return value;
}

/** The `--db` help text every command that opens the inbox shares. */
export const DB_OPTION_HELP =
  'inbox database: sqlite:PATH (default sqlite:./data/relay.db) or postgres://USER@HOST:PORT/DB[?schema=NAME&pool=N]';
export function parseFraction(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1)
    throw new InvalidArgumentError('must be a fraction from 0 to 1, like 0.2');
  return number;
}

export function parseWholeNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new InvalidArgumentError('must be a whole number, 0 or more');
  return number;
}
