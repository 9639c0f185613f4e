import { runDemo } from '../../demo/index.ts';
import type { Logger } from '../../shared/index.ts';
import type { ApiCallsResult, BenchResult, Ratio } from '../report.ts';

export interface ApiCallsOptions {
  readonly logger: Logger;
  readonly progress: (line: string) => void;
  /** Opportunities closed at once in the burst (default 1,000). */
  readonly burst?: number;
}

const DEFAULT_BURST = 1000;
/** Time for the burst to drain; the count is what matters, not how fast. */
const DEADLINE_MS = 120_000;

/**
 * What a real org's daily API allowance pays per order: the whole loop closes one
 * Opportunity, then a burst at once, and reads the emulated org's own count of API requests
 * (REST, SOAP, Apex REST; OAuth token requests take nothing from the allowance).
 */
export async function runApiCallsScenario(options: ApiCallsOptions): Promise<ApiCallsResult[]> {
  const results: ApiCallsResult[] = [];
  for (const closes of [1, options.burst ?? DEFAULT_BURST]) {
    options.progress(
      `api-calls: closing ${closes} Opportunit${closes === 1 ? 'y' : 'ies'} at once`,
    );
    const demo = await runDemo({
      count: closes,
      port: 0,
      duplicateDeliveries: false,
      deadlineMs: DEADLINE_MS,
      logger: options.logger,
    });
    const apiCalls = demo.apiRequests();
    const completed = demo.latenciesInCloseOrderMs.filter((ms) => ms !== null).length;
    await demo.stop();
    results.push({
      scenario: 'api-calls',
      target: 'sf-relay-sqlite',
      closes,
      completed,
      apiCalls,
      apiCallsPerOrder: Math.round((apiCalls / closes) * 1000) / 1000,
    });
  }
  return results;
}

/** `ratios.apiCallsPerOrder`: null, with a note, when a run did not finish every order. */
export function apiCallsPerOrder(
  results: readonly BenchResult[],
  notes: string[],
): { burst: Ratio; single: Ratio } {
  const rows = results.filter((r): r is ApiCallsResult => r.scenario === 'api-calls');
  const pick = (label: string, row: ApiCallsResult | undefined): Ratio => {
    if (row === undefined) {
      notes.push(`apiCallsPerOrder.${label} is null: the api-calls scenario did not run`);
      return null;
    }
    if (row.completed < row.closes) {
      notes.push(
        `apiCallsPerOrder.${label} is null: only ${row.completed} of ${row.closes} orders completed`,
      );
      return null;
    }
    return row.apiCallsPerOrder;
  };
  return {
    single: pick(
      'single',
      rows.find((r) => r.closes === 1),
    ),
    burst: pick(
      'burst',
      rows.find((r) => r.closes > 1),
    ),
  };
}
