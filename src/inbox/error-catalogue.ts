import { defineErrorCatalogue } from '../shared/index.ts';

/** The inbox's failures, and the codes it stores on a notification itself. */
export const INBOX_ERRORS = defineErrorCatalogue('inbox', {
  INBOX_UNAVAILABLE: {
    http: { status: 500, fault: 'Server' },
    retryable: true,
    meaning:
      'The inbox could not be read or written (disk full, file locked, PostgreSQL down or refusing). The error names the operation, the store and its own code (`SQLITE_FULL`, a SQLSTATE).',
    action:
      'Fix the store (free disk space, start PostgreSQL, check the URL and permissions). Nothing was acknowledged, so Salesforce redelivers; claimed work is retried.',
  },
  NOTIFICATION_ID_CONFLICT: {
    http: { status: 500, fault: 'Client' },
    meaning:
      'A notification id already stored arrives again for another org, action or record: ids are never reused by Salesforce, so one of the two is forged or corrupt. The whole message is refused.',
    action:
      'Compare the two with `sf-relay messages --json`; find which sender is wrong. Salesforce retries the refused message for 24 hours.',
  },
  INBOX_ROW_INVALID: {
    meaning:
      'A row read back from the database does not hold what sf-relay wrote: someone edited it by hand.',
    action:
      'Restore the row from a backup, or purge it (`sf-relay purge`) and let Salesforce or a replay resend it.',
  },
  INBOX_SCHEMA_TOO_NEW: {
    meaning:
      'The database was migrated by a newer sf-relay; running older code on it could corrupt it.',
    action: 'Run the newer sf-relay, or restore a backup taken before the upgrade.',
  },
  INBOX_INVALID_ARGUMENT: {
    meaning:
      'A caller passed the inbox an impossible argument (a programming error, not the store’s).',
    action: 'Report it with the stack trace from the log.',
  },
  ATTEMPTS_EXHAUSTED: {
    retryable: false,
    meaning:
      'Stored as a dead notification’s reason: it was claimed `worker.maxAttempts` times without an outcome that finished it (the worker crashed or hung on it every time: a poison message).',
    action:
      'Read the last error in the reason, fix the cause, then `sf-relay replay <notificationId>`.',
  },
  CONTRACT_MISMATCH: {
    meaning:
      'Stored as a held notification’s reason: it does not match the configured WSDL (the reason names the field). Acked and kept, not processed.',
    action:
      'Fix the WSDL or the outbound message definition, then `sf-relay replay --held` (or from the dashboard).',
  },
});
