import type { RecordChange } from './records/record-store.ts';

/**
 * Counts every API call and every record write, so tests can assert "exactly one update per
 * Opportunity" from the org's side rather than trusting the client.
 */
export class ApiCounters {
  readonly #calls = new Map<string, number>();
  readonly #writes = new Map<string, { creates: number; updates: number; deletes: number }>();

  /** `api` is rest, soap, oauth or apexrest; `operation` e.g. `PATCH Opportunity`, `update`. */
  countCall(api: string, operation: string): void {
    const key = `${api} ${operation}`;
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
  }

  readonly countWrite = (change: RecordChange): void => {
    const entry = this.#writes.get(change.after.id) ?? { creates: 0, updates: 0, deletes: 0 };
    if (change.kind === 'create') entry.creates++;
    else if (change.kind === 'update') entry.updates++;
    else if (change.kind === 'delete') entry.deletes++;
    this.#writes.set(change.after.id, entry);
  };

  writesOf(recordId: string): { creates: number; updates: number; deletes: number } {
    return this.#writes.get(recordId) ?? { creates: 0, updates: 0, deletes: 0 };
  }

  snapshot(): { calls: Record<string, number>; totalCalls: number } {
    const calls = Object.fromEntries(
      [...this.#calls.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    return { calls, totalCalls: [...this.#calls.values()].reduce((sum, n) => sum + n, 0) };
  }

  /**
   * Calls that take from the org's daily API allowance: REST, SOAP and Apex REST requests, each
   * once (a faulted call is also listed under its fault). OAuth token requests take nothing.
   */
  apiRequests(): number {
    let total = 0;
    for (const [key, count] of this.#calls) {
      const [api, operation] = key.split(' ');
      if (api !== 'oauth' && operation !== 'fault') total += count;
    }
    return total;
  }

  reset(): void {
    this.#calls.clear();
    this.#writes.clear();
  }
}
