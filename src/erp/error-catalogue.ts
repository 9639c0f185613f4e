import { defineErrorCatalogue } from '../shared/index.ts';

/** What the worker makes of the ERP's answers (the ERP service itself is in src/erp-service). */
export const ERP_ERRORS = defineErrorCatalogue('erp', {
  ERP_UNAVAILABLE: {
    retryable: true,
    meaning:
      'The ERP could not be reached, timed out, or answered 5xx, 408 or 429. The same call may succeed later, and the idempotency key makes a repeat safe.',
    action: 'Nothing unless it persists: the worker retries with backoff; bring the ERP back.',
  },
  ERP_REJECTED: {
    retryable: false,
    meaning:
      'The ERP refused the order itself with a 4xx (validation). The reason quotes the ERP’s problem detail.',
    action:
      'Fix the data on the Opportunity (or the ERP’s rule), then `sf-relay replay <notificationId>`.',
  },
  ERP_KEY_CONFLICT: {
    retryable: false,
    meaning:
      'The ERP refused a reused idempotency key with a changed body (422): the Opportunity changed after its order was created. The worker looks the existing order up and writes its number back instead; this code is stored only if that lookup finds nothing.',
    action: 'Check the order in the ERP; replay once it exists.',
  },
});
