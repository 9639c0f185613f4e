export { Worker, type WorkerOptions, type WorkerSettings, type WorkerStats } from './worker.ts';
export {
  processNotification,
  ORDER_STATUS_CREATED,
  type Outcome,
  type ProcessDependencies,
} from './process-notification.ts';
export { mapToErpOrder } from './map-order.ts';
export { fullJitterDelayMs } from './backoff.ts';
export { WORKER_ERRORS } from './error-catalogue.ts';
