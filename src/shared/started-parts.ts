/** How to stop one part that a start function started. */
export type Stop = () => void | Promise<void>;

/**
 * What a start function has started so far. Each part is registered as it starts; `stopAll`
 * stops them in reverse order, every one even when an earlier stop fails, so a start that
 * fails half-way leaves no server listening, no timer and no open file behind, and `close()`
 * of a running service is the same list.
 */
export class StartedParts {
  readonly #stops: Stop[] = [];
  #stopping: Promise<void> | undefined;

  /** Registers how to stop a part that has just started. */
  started(stop: Stop): void {
    this.#stops.push(stop);
  }

  /** Stops everything started, newest first; rejects with the first failure once all ran. */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#stopInReverse();
    return this.#stopping;
  }

  async #stopInReverse(): Promise<void> {
    const failures: unknown[] = [];
    for (const stop of [...this.#stops].reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'several parts failed to stop');
  }
}

/**
 * Runs `start` with a fresh `StartedParts`. When it throws, whatever it had started is stopped
 * before the error is passed on: the caller gets the error that says what to fix, and
 * `onStopFailure` hears of any part that would not stop.
 */
export async function startOrUndo<T>(
  start: (parts: StartedParts) => Promise<T>,
  onStopFailure: (error: unknown) => void,
): Promise<T> {
  const parts = new StartedParts();
  try {
    return await start(parts);
  } catch (error) {
    await parts.stopAll().catch(onStopFailure);
    throw error;
  }
}
