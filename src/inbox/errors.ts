import { SfRelayError } from '../shared/index.ts';

/**
 * The store could not open or commit. Nothing of the attempted change is kept, so the caller
 * may retry (the listener answers with a SOAP fault and Salesforce redelivers).
 */
export class InboxUnavailableError extends SfRelayError {
  readonly code = 'INBOX_UNAVAILABLE';
  /** What the inbox was doing, e.g. `store 3 notifications`. */
  readonly operation: string;
  /** Where the store lives: a file path, or a redacted database URL. */
  readonly location: string;
  /** The store's own error code (`SQLITE_FULL`, `SQLITE_BUSY`, a PostgreSQL SQLSTATE), when known. */
  readonly storeCode: string | null;

  constructor(details: {
    operation: string;
    location: string;
    storeCode?: string | null;
    reason: string;
    cause?: unknown;
  }) {
    const storeCode = details.storeCode ?? null;
    super(
      `Inbox at ${details.location} could not ${details.operation}` +
        `${storeCode === null ? '' : ` (${storeCode})`}: ${details.reason}`,
      { cause: details.cause },
    );
    this.operation = details.operation;
    this.location = details.location;
    this.storeCode = storeCode;
  }
}

/**
 * A row read back from the database does not hold what this code wrote: someone edited the
 * database by hand, or a different program shares it. The row is reported, never guessed at.
 */
export class InboxRowInvalidError extends SfRelayError {
  readonly code = 'INBOX_ROW_INVALID';
  /** The notification id of the row, or `seq=N` when the id itself is unusable. */
  readonly rowId: string;
  readonly column: string;

  constructor(rowId: string, column: string, problem: string) {
    super(
      `Inbox row ${rowId} has an invalid ${column}: ${problem}. ` +
        `Fix or delete the row; it was not written by this version of sf-relay.`,
    );
    this.rowId = rowId;
    this.column = column;
  }
}

/** The database was migrated by a newer sf-relay; running older code on it could corrupt it. */
export class InboxSchemaTooNewError extends SfRelayError {
  readonly code = 'INBOX_SCHEMA_TOO_NEW';
  readonly foundVersion: number;
  readonly supportedVersion: number;

  constructor(location: string, foundVersion: number, supportedVersion: number) {
    super(
      `Inbox at ${location} has schema version ${foundVersion}, but this sf-relay knows only ` +
        `up to version ${supportedVersion}. Upgrade sf-relay, or point it at another database.`,
    );
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}

/**
 * A caller passed an argument the inbox cannot honour (a negative limit, an invalid date).
 * A programming error of the caller, not of the store: retrying will not help.
 */
export class InboxArgumentError extends SfRelayError {
  readonly code = 'INBOX_INVALID_ARGUMENT';
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`Invalid inbox argument ${argument}: ${problem}`);
    this.argument = argument;
  }
}

/**
 * A notification id already stored for a different organisation, action or record arrived:
 * Salesforce's redeliveries never change those, so this is a forged or corrupted message.
 * Acking it as a duplicate would hide the conflict; the listener refuses it instead.
 */
export class NotificationConflictError extends SfRelayError {
  readonly code = 'NOTIFICATION_ID_CONFLICT';
}
