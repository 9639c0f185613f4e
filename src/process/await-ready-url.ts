import type { ChildProcess } from 'node:child_process';

export interface ReadyLineOptions {
  /** The `event` of the JSON log line that carries the `url` once the server listens. */
  readonly readyEvent: string;
  readonly timeoutMs: number;
  /** Every stdout chunk, also after the ready line (log files, bounded buffers). */
  readonly onStdout?: (chunk: Buffer) => void;
  /** The error to reject with, given why: `did not listen within N ms`, `exited (SIG…) before it listened`. */
  readonly failure: (why: string) => Error;
}

/** The `url` of the first `{"event":readyEvent,"url":…}` line in `output`, if one is complete. */
function findReadyUrl(output: string, readyEvent: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(readyEvent)) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'event' in parsed &&
        parsed.event === readyEvent &&
        'url' in parsed &&
        typeof parsed.url === 'string'
      )
        return parsed.url;
    } catch {
      // A partial line; the rest arrives with the next chunk.
    }
  }
  return undefined;
}

/**
 * Waits for a freshly spawned server (`sf-relay start`, `emulator`, `erp`, a bench target)
 * to log the URL it listens on. Its stdout keeps flowing to `onStdout` afterwards, so a
 * chatty server never blocks on a full pipe.
 */
export function awaitReadyUrl(child: ChildProcess, options: ReadyLineOptions): Promise<string> {
  return new Promise<string>((resolveUrl, reject) => {
    let seen: string | undefined = '';
    const timer = setTimeout(
      () => reject(options.failure(`did not listen within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      options.onStdout?.(chunk);
      // Scan for the ready line only until it came.
      if (seen === undefined) return;
      seen += chunk.toString('utf8');
      const url = findReadyUrl(seen, options.readyEvent);
      if (url === undefined) return;
      seen = undefined;
      clearTimeout(timer);
      resolveUrl(url);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(options.failure(`exited (${signal ?? code}) before it listened`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
