import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdFactory, timeBasedStart } from '../../src/emulator/records/id-factory.ts';
import { idChecksum, isSalesforceId } from '../../src/soap/index.ts';
import { startTestEmulator } from '../support/emulator.ts';

describe('emulator ids', () => {
  it('are valid 18-character ids with the checksum of their first 15 characters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2080, 0, 1) }),
        fc.constantFrom('006', '04l', '00k', '001'),
        (now, prefix) => {
          const id = new IdFactory('5g', timeBasedStart(now)).next(prefix);
          expect(id).toHaveLength(18);
          expect(id.startsWith(prefix)).toBe(true);
          expect(isSalesforceId(id)).toBe(true);
          expect(id.slice(15)).toBe(idChecksum(id.slice(0, 15)));
        },
      ),
    );
  });

  it('never repeat after a restart, even one a millisecond later', () => {
    const now = Date.now();
    const first = new IdFactory('5g', timeBasedStart(now));
    // An earlier run that handed out 4000 ids (more than a millisecond's worth of slots allows).
    const earlier = new Set(Array.from({ length: 4000 }, () => first.next('006')));
    const later = new IdFactory('5g', timeBasedStart(now + 1000));
    for (let i = 0; i < 1000; i++) expect(earlier.has(later.next('006'))).toBe(false);
  });

  it('differ between two emulators and between two starts of one without a data file', async () => {
    const first = await startTestEmulator({ outboundMessages: [] });
    const second = await startTestEmulator({ outboundMessages: [] });
    const seen: string[] = [];
    try {
      seen.push(first.store.create('Account', { Name: 'A' }, null));
      seen.push(second.store.create('Account', { Name: 'B' }, null));
      expect(new Set(seen).size).toBe(2);
    } finally {
      await first.close();
      await second.close();
    }
    const restarted = await startTestEmulator({ outboundMessages: [] });
    try {
      const again = restarted.store.create('Account', { Name: 'C' }, null);
      expect(isSalesforceId(again)).toBe(true);
      expect(seen).not.toContain(again);
    } finally {
      await restarted.close();
    }
  });
});
