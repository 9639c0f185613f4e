/** Salesforce keeps up to 200 recently viewed records per user ("Recently Viewed Items"). */
const MAX_RECENT = 200;

/**
 * Each user's most recently viewed or referenced records, newest first: what `GET /recent`
 * and a `GET /sobjects/{type}` summary's `recentItems` list. Salesforce adds a record when a
 * user views it, or when a query marks it `FOR VIEW` / `FOR REFERENCE`; over the API only the
 * latter happens.
 */
export class RecentItems {
  readonly #byUser = new Map<string, string[]>();

  touch(userId: string, recordIds: readonly string[]): void {
    const ids = (this.#byUser.get(userId) ?? []).filter((id) => !recordIds.includes(id));
    ids.unshift(...[...recordIds].reverse());
    this.#byUser.set(userId, ids.slice(0, MAX_RECENT));
  }

  list(userId: string): readonly string[] {
    return this.#byUser.get(userId) ?? [];
  }
}
