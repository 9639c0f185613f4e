export type {
  ClaimedMessage,
  ClaimOptions,
  Failure,
  Inbox,
  InboxMessage,
  ListFilter,
  PurgeOptions,
  StateCounts,
  StoreOptions,
  StoreResult,
  UnusualDuplicate,
} from './inbox.ts';
export {
  CLAIMABLE_STATES,
  FINISHED_STATES,
  MESSAGE_STATES,
  REPLAYABLE_STATES,
  isMessageState,
  type MessageState,
  type ReplayableState,
} from './state-machine.ts';
export { TRANSITIONS, type Transition } from './transitions.ts';
export {
  InboxArgumentError,
  InboxRowInvalidError,
  InboxSchemaTooNewError,
  InboxUnavailableError,
  NotificationConflictError,
} from './errors.ts';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './check-arguments.ts';
export {
  migrateInbox,
  openInbox,
  parseInboxUrl,
  type InboxLocation,
  type MigrateInboxResult,
  type OpenInboxOptions,
} from './open-inbox.ts';
export { SqliteInbox, openSqliteInbox, type SqliteInboxOptions } from './sqlite/sqlite-inbox.ts';
export {
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  migrateSqlite,
  readSqliteSchemaVersion,
  type MigrationResult,
  type SqliteMigration,
} from './sqlite/migrations.ts';
export {
  PostgresInbox,
  migratePostgresInbox,
  openPostgresInbox,
  type PostgresInboxOptions,
} from './postgres/postgres-inbox.ts';
export { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres/migrations.ts';
export { parsePostgresUrl, type PostgresLocation } from './postgres/location.ts';
export { INBOX_ERRORS } from './error-catalogue.ts';
