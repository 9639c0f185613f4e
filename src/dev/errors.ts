import { SfRelayError } from '../shared/index.ts';

/** Another `sf-relay dev` already uses the data folder: two would share one inbox file. */
export class DevDataDirBusyError extends SfRelayError {
  readonly code = 'DEV_ALREADY_RUNNING';

  constructor(dataDir: string, pid: number) {
    super(
      `sf-relay dev (process ${pid}) is already running on ${dataDir}: stop it (Ctrl-C in its ` +
        `terminal, or kill ${pid}), or give this one its own folder with --data-dir`,
    );
  }
}
