import { Connection } from 'jsforce';
import type { EmulatorConfigInput } from '../../../src/config/index.ts';
import type { RunningEmulator } from '../../../src/emulator/start-emulator.ts';
import { startTestEmulator } from '../../support/emulator.ts';

export interface JsforceOrg {
  readonly emulator: RunningEmulator;
  /** Unmodified jsforce, pointed at the emulator with its access token. */
  readonly conn: Connection;
}

export async function startJsforceOrg(config: EmulatorConfigInput = {}): Promise<JsforceOrg> {
  const emulator = await startTestEmulator({ outboundMessages: [], ...config });
  const conn = new Connection({
    instanceUrl: emulator.url,
    accessToken: emulator.accessToken,
    version: '60.0',
  });
  return { emulator, conn };
}

export interface SalesforceError {
  errorCode?: string;
  name?: string;
  message: string;
  data?: unknown;
}

/** The error a call rejects with (the test fails if it resolves). */
export async function failure(promise: PromiseLike<unknown>): Promise<SalesforceError> {
  try {
    await promise;
  } catch (error) {
    return error as SalesforceError;
  }
  throw new Error('expected the call to fail');
}
