import { describe, it } from 'vitest';
import { immutableFilesWork } from '../../src/chaos/disruptions.ts';
import { expectChaosRunPasses } from './chaos-run.ts';

// chattr +i needs root and a file system with the immutable flag; CI has both.
const diskFaults = immutableFilesWork();

describe('sf-relay chaos on SQLite', () => {
  it(`loses and doubles nothing through 1000 Opportunities, 5 SIGKILLs, ERP and Salesforce faults, a 5 s ERP outage${diskFaults ? ' and 2 stretches of unwritable disk' : ''}`, async () => {
    await expectChaosRunPasses(undefined, {
      extra: ['--erp-outage', '5', ...(diskFaults ? ['--disk-faults', '2'] : [])],
    });
  }, 600_000);
});
