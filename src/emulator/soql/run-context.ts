import type { RecordStore, SObject } from '../records/record-store.ts';

/** What one query execution shares: the store, visibility, and parents already fetched. */
export class RunContext {
  readonly #parents = new Map<string, SObject | null>();

  constructor(
    readonly store: RecordStore,
    readonly includeDeleted: boolean,
  ) {}

  /** The record a reference points at; cached because many rows share one parent. */
  parent(id: string): SObject | null {
    let found = this.#parents.get(id);
    if (found === undefined) {
      found = this.store.get(id, { includeDeleted: this.includeDeleted }) ?? null;
      this.#parents.set(id, found);
    }
    return found;
  }
}
