import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { awaitReadyUrl, SF_RELAY_BIN } from '../process/index.ts';

export interface ChildServerSpec {
  /** Names the process in reports and its log file (`<name>.log`). */
  readonly name: string;
  /** Arguments after `sf-relay`, e.g. `['start', '--role', 'worker', …]`. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The `event` of the JSON log line that carries the `url` once the server listens. */
  readonly readyEvent: string;
  /** Everything the process writes (stdout and stderr) is appended here. */
  readonly logFile: string;
  /**
   * Where stderr goes instead of the log file: the emulator prints its own access token
   * there on purpose (a banner for people), which is not a log line.
   */
  readonly stderrFile?: string;
  /** How long to wait for the ready line. */
  readonly startTimeoutMs: number;
}

/** Every child process not yet gone, so none outlives the chaos run however it ends. */
const live = new Set<ChildProcess>();
let reaperInstalled = false;

function track(child: ChildProcess): void {
  if (!reaperInstalled) {
    reaperInstalled = true;
    process.once('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
}

export class ChildServerError extends Error {
  readonly code = 'CHAOS_CHILD_FAILED';
}

/**
 * One `sf-relay` command running as its own OS process, with its output in a log file. The
 * chaos run owns it: it can be SIGKILLed at any moment and started again with the same spec.
 */
export class ChildServer {
  readonly spec: ChildServerSpec;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #log: WriteStream;
  #err: WriteStream;
  #url = '';
  #closing: Promise<void> | undefined;

  private constructor(spec: ChildServerSpec) {
    this.spec = spec;
    this.#log = createWriteStream(spec.logFile, { flags: 'a' });
    this.#err =
      spec.stderrFile === undefined
        ? this.#log
        : createWriteStream(spec.stderrFile, { flags: 'a' });
  }

  static async start(spec: ChildServerSpec): Promise<ChildServer> {
    const server = new ChildServer(spec);
    try {
      await server.restart();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** The URL the current incarnation listens on. */
  get url(): string {
    return this.#url;
  }

  get running(): boolean {
    return (
      this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  /** Starts a new incarnation (the previous one must be gone) and waits until it listens. */
  async restart(): Promise<void> {
    if (this.running) throw new ChildServerError(`${this.spec.name} is still running`);
    const child = spawn(process.execPath, [SF_RELAY_BIN, ...this.spec.args], {
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    track(child);
    this.#exited = new Promise((done) =>
      child.once('exit', () => {
        live.delete(child);
        done();
      }),
    );
    child.stderr?.on('data', (chunk: Buffer) => this.#err.write(chunk));
    const ready = awaitReadyUrl(child, {
      readyEvent: this.spec.readyEvent,
      timeoutMs: this.spec.startTimeoutMs,
      onStdout: (chunk) => this.#log.write(chunk),
      failure: (why) => new ChildServerError(`${this.spec.name} ${why}; see ${this.spec.logFile}`),
    });
    this.#url = await ready;
  }

  /** SIGKILL: no shutdown hook runs, exactly like a crash or `kill -9`. Waits until it is gone. */
  async kill(): Promise<void> {
    if (this.running) this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM and wait (SIGKILL after `graceMs`), then close the log files. Idempotent. */
  close(graceMs = 10_000): Promise<void> {
    this.#closing ??= (async () => {
      if (this.running) {
        this.#child?.kill('SIGTERM');
        const timer = setTimeout(() => this.#child?.kill('SIGKILL'), graceMs);
        await this.#exited;
        clearTimeout(timer);
      }
      await new Promise<void>((done) => this.#log.end(done));
      if (this.#err !== this.#log) await new Promise<void>((done) => this.#err.end(done));
    })();
    return this.#closing;
  }
}
