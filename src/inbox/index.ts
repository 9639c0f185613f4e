// What other folders use: the Inbox contract and its vocabulary, opening and migrating a store,
// and the errors a caller tells apart. The two stores, their migrations and the transition
// table stay inside; tests reach them by path.
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
export { MESSAGE_STATES, isMessageState, type MessageState } from './state-machine.ts';
export {
  InboxArgumentError,
  InboxRowInvalidError,
  InboxSchemaTooNewError,
  InboxUnavailableError,
  NotificationConflictError,
} from './errors.ts';
export { MAX_LIST_LIMIT } from './check-arguments.ts';
export {
  migrateInbox,
  openInbox,
  parseInboxUrl,
  type InboxLocation,
  type MigrateInboxResult,
  type OpenInboxOptions,
} from './open-inbox.ts';
// The bench measures the SQLite store on its own, without the URL parsing of openInbox.
export { openSqliteInbox, type SqliteInboxOptions } from './sqlite/sqlite-inbox.ts';
export { INBOX_ERRORS } from './error-catalogue.ts';
