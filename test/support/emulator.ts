import {
  seedCatalogue as seedProducts,
  startEmulator,
  type RunningEmulator,
} from '../../src/emulator/index.ts';
import type { EmulatorConfigInput } from '../../src/config/index.ts';
import { createLogger } from '../../src/shared/index.ts';

/** A real emulator on a free loopback port, quiet unless SFRELAY_TEST_LOGS is set. */
export function startTestEmulator(config: EmulatorConfigInput = {}): Promise<RunningEmulator> {
  return startEmulator({
    config: { port: 0, ...config },
    logger: createLogger(process.env.SFRELAY_TEST_LOGS ? 'debug' : 'silent'),
  });
}

/** Creates what an Opportunity with line items needs: account, product, price book and entry. */
export function seedCatalogue(emulator: RunningEmulator): {
  accountId: string;
  pricebookId: string;
  entryId: string;
} {
  const accountId = emulator.store.create('Account', { Name: 'Acme Telecom' }, null);
  const { pricebookId, entryId } = seedProducts(emulator.store);
  return { accountId, pricebookId, entryId };
}
