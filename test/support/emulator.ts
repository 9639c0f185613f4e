import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.ts';
import type { EmulatorConfigInput } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';

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
  const { store } = emulator;
  const accountId = store.create('Account', { Name: 'Acme Telecom' }, null);
  const productId = store.create(
    'Product2',
    { Name: 'Fibre 1 Gbps', ProductCode: 'FIB-1G', IsActive: true },
    null,
  );
  const pricebookId = store.create('Pricebook2', { Name: 'Standard', IsActive: true }, null);
  const entryId = store.create(
    'PricebookEntry',
    { Pricebook2Id: pricebookId, Product2Id: productId, UnitPrice: 49.5, IsActive: true },
    null,
  );
  return { accountId, pricebookId, entryId };
}
