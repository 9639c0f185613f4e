import { defineErrorCatalogue } from '../shared/index.ts';

/** Outcomes the worker itself names (the ERP's and Salesforce's have their own catalogues). */
export const WORKER_ERRORS = defineErrorCatalogue('worker', {
  UNSUPPORTED_OBJECT: {
    retryable: false,
    meaning:
      'The notification’s sObject is not an Opportunity, the only object the worker turns into an order.',
    action:
      'Point the outbound message at Opportunity, or purge these notifications (`sf-relay purge --state dead`).',
  },
  UNEXPECTED: {
    retryable: true,
    meaning:
      'A failure the worker has no class for: most likely a bug or a new kind of outage. Retrying is the safe side.',
    action: 'Read the error in the log (logged at error level); report it if it is a bug.',
  },
  LEASE_LOST: {
    retryable: true,
    meaning:
      'The worker lost its lease on the notification (the inbox was unreachable for too long, or another worker took it over after a stall); its steps were stopped.',
    action:
      'Nothing: the notification is processed again by whichever worker holds it. If it is frequent, raise `worker.leaseSeconds`.',
  },
});
