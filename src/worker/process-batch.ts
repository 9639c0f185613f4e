import type { ErpPort } from '../erp/index.ts';
import type { ClaimedMessage } from '../inbox/index.ts';
import {
  SessionExpiredError,
  type CallbackTarget,
  type OpportunitySnapshot,
  type SalesforceClient,
} from '../salesforce/index.ts';
import { toId18 } from '../soap/index.ts';
import { forEachLimited } from './for-each-limited.ts';
import {
  callbackTargetOf,
  classify,
  createOrFindOrder,
  guard,
  ORDER_STATUS_CREATED,
  processNotification,
  settledWithoutSalesforce,
  type Outcome,
} from './process-notification.ts';

/** One claimed notification and the signal that stops its steps (its lease is gone). */
export interface BatchItem {
  readonly message: ClaimedMessage;
  readonly signal: AbortSignal;
}

export interface BatchDependencies {
  readonly salesforce: SalesforceClient;
  readonly erp: ErpPort;
  /** Legacy mode: a newer message's SessionId from the same org, if one has arrived. */
  readonly newerSessionId: (organizationId: string, since: Date) => Promise<string | null>;
  /** ERP calls in flight at once. */
  readonly concurrency: number;
  /**
   * ERP failures in a row (retryable) after which the rest of the batch is handed back
   * untried: the ERP looks down, and the worker's outage breaker is about to pause claims.
   */
  readonly outageThreshold: number;
}

/**
 * A notification the batch did not try: its attempt is to be given back (the inbox's
 * `release`), as if it had never been claimed.
 */
export const HANDED_BACK = 'handed-back';
export type BatchOutcome = Outcome | typeof HANDED_BACK;

/** The notifications of one record in a batch (one, unless ids arrived in 15 and 18 forms). */
interface Job {
  readonly opportunityId: string;
  readonly items: BatchItem[];
  readonly signal: AbortSignal;
  opportunity?: OpportunitySnapshot;
  order?: { readonly orderNumber: string; readonly how: string };
}

/**
 * The same steps as `processNotification`, for many notifications at the Salesforce API cost
 * of one: one SOQL read-back for all of a callback target's records, the ERP orders made
 * concurrently (each idempotent by Opportunity id, as alone), one batch write-back. Each
 * notification gets its own outcome, classified as it would be alone: a record-level error
 * fails only its record, a failed call fails the records it carried. A notification whose
 * signal fires takes no further step; its outcome is then not to be recorded.
 */
export async function processBatch(
  items: readonly BatchItem[],
  deps: BatchDependencies,
): Promise<Map<BatchItem, BatchOutcome>> {
  const outcomes = new Map<BatchItem, BatchOutcome>();
  const groups = new Map<string, { target: CallbackTarget; jobs: Map<string, BatchItem[]> }>();
  for (const item of items) {
    const settled = settledWithoutSalesforce(item.message);
    if (settled !== null) {
      outcomes.set(item, settled);
      continue;
    }
    let opportunityId: string;
    try {
      opportunityId = toId18(item.message.recordId ?? '');
    } catch (error) {
      outcomes.set(item, classify(error));
      continue;
    }
    const target = callbackTargetOf(item.message);
    const key = JSON.stringify([target.organizationId, target.partnerUrl, target.sessionId]);
    const group = groups.get(key) ?? { target, jobs: new Map<string, BatchItem[]>() };
    groups.set(key, group);
    group.jobs.set(opportunityId, [...(group.jobs.get(opportunityId) ?? []), item]);
  }
  await Promise.all(
    [...groups.values()].map(async ({ target, jobs }) => {
      const list: Job[] = [...jobs].map(([opportunityId, jobItems]) => ({
        opportunityId,
        items: jobItems,
        signal:
          jobItems.length === 1 && jobItems[0] !== undefined
            ? jobItems[0].signal
            : AbortSignal.any(jobItems.map((i) => i.signal)),
      }));
      const settle = (job: Job, outcome: BatchOutcome): void => {
        for (const item of job.items) outcomes.set(item, outcome);
      };
      try {
        await runGroup(target, list, deps, settle);
      } catch (error) {
        // Not a failure of one record (those are settled where they happen): the batch's own
        // bug or an inbox error. Whatever is unsettled retries, as one notification would.
        for (const job of list)
          if (!job.items.some((i) => outcomes.has(i))) settle(job, classify(error));
      }
    }),
  );
  return outcomes;
}

/** What each step of a group needs: where to call, the clients, and how to settle a job. */
interface GroupContext {
  readonly target: CallbackTarget;
  readonly deps: BatchDependencies;
  readonly settle: (job: Job, outcome: BatchOutcome) => void;
  /** A record's own failure; legacy mode's expired session retries each notification alone. */
  readonly failed: (job: Job, error: Error) => Promise<void>;
}

/** One callback target's jobs: read back → order → write back, each step one batched call. */
async function runGroup(
  target: CallbackTarget,
  jobs: readonly Job[],
  deps: BatchDependencies,
  settle: (job: Job, outcome: BatchOutcome) => void,
): Promise<void> {
  /** Legacy mode's expired session: alone, each notification can try a newer message's one. */
  const alone = (job: Job): Promise<void> =>
    Promise.all(
      job.items.map(async (item) => {
        const outcome = await processNotification(item.message, {
          salesforce: deps.salesforce,
          erp: deps.erp,
          newerSessionId: deps.newerSessionId,
          signal: item.signal,
        });
        settle(job, outcome);
      }),
    ).then(() => undefined);
  const failed = async (job: Job, error: Error): Promise<void> => {
    if (error instanceof SessionExpiredError) await alone(job);
    else settle(job, classify(error));
  };
  const context: GroupContext = { target, deps, settle, failed };
  const toOrder = await readBack(context, jobs);
  await orderAll(context, toOrder);
  // A notification whose lease went while its order was made is not written back here: the
  // one holding it now repeats the idempotent steps.
  const ordered = toOrder.filter((job) => job.order !== undefined && !job.signal.aborted);
  if (ordered.length > 0) await writeBack(context, ordered);
}

/** Reads every live job's Opportunity in one query; returns the jobs that should be ordered. */
async function readBack(context: GroupContext, jobs: readonly Job[]): Promise<Job[]> {
  const { deps, settle, failed } = context;
  const live = jobs.filter((job) => !job.signal.aborted);
  const read = await deps.salesforce.readOpportunities(
    context.target,
    live.map((job) => job.opportunityId),
  );
  const toOrder: Job[] = [];
  await Promise.all(
    live.map(async (job) => {
      const snapshot = read.get(job.opportunityId);
      if (snapshot === undefined) return settle(job, missingResult('read-back', job));
      if (snapshot instanceof Error) return failed(job, snapshot);
      const verdict = guard(snapshot, job.opportunityId);
      if (verdict.kind === 'settled') return settle(job, verdict.outcome);
      job.opportunity = verdict.opportunity;
      toOrder.push(job);
    }),
  );
  return toOrder;
}

/** Creates (or finds) each order in the ERP, `concurrency` at a time. */
async function orderAll(context: GroupContext, toOrder: readonly Job[]): Promise<void> {
  const { deps, settle } = context;
  // Without this, an ERP outage would spend an attempt of every notification in the batch
  // before the worker's breaker could pause it.
  let retriesInARow = 0;
  await forEachLimited(toOrder, deps.concurrency, async (job) => {
    if (job.signal.aborted || job.opportunity === undefined) return;
    if (retriesInARow >= deps.outageThreshold) return settle(job, HANDED_BACK);
    try {
      job.order = await createOrFindOrder(job.opportunity, job.opportunityId, {
        erp: deps.erp,
        signal: job.signal,
      });
      retriesInARow = 0;
    } catch (error) {
      const outcome = classify(error);
      retriesInARow = outcome.kind === 'retry' ? retriesInARow + 1 : 0;
      settle(job, outcome);
    }
  });
}

/** Writes every order number back in one sObject Collections call and settles each job. */
async function writeBack(context: GroupContext, ordered: readonly Job[]): Promise<void> {
  const { settle, failed } = context;
  const written = await context.deps.salesforce.writeOrderResults(
    context.target,
    ordered.map((job) => ({
      opportunityId: job.opportunityId,
      result: { orderNumber: job.order?.orderNumber ?? '', orderStatus: ORDER_STATUS_CREATED },
    })),
  );
  await Promise.all(
    ordered.map(async (job) => {
      const outcome = written.get(job.opportunityId);
      if (outcome === undefined) return settle(job, missingResult('write-back', job));
      if (outcome instanceof Error) return failed(job, outcome);
      const { orderNumber, how } = job.order ?? { orderNumber: '', how: '' };
      settle(job, {
        kind: 'done',
        note: `order ${orderNumber} ${how} and written back`,
        orderNumber,
      });
    }),
  );
}

/** The client answered for a batch without this record: a bug, so a loud retry. */
function missingResult(step: string, job: Job): Outcome {
  return {
    kind: 'retry',
    code: 'UNEXPECTED',
    error: `the batch ${step} returned no result for Opportunity ${job.opportunityId}`,
    loud: true,
  };
}
