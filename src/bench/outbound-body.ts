import { renderOutboundMessage, type OutboundMessage } from '../soap/index.ts';

/** The organisation every benchmark message comes from; the relay target allows only it. */
export const BENCH_ORG_ID = '00D5g000004XyZ1EAK';
/** Host of the benchmark messages' EnterpriseUrl and PartnerUrl. */
export const BENCH_INSTANCE_HOST = 'acme.my.salesforce.com';

/** 12 characters that never occur elsewhere in the envelope: replaced per request. */
const SLOT = 'QQQQQQQQQQQQ';

/**
 * Makes outbound-message bodies of `batch` notifications that Salesforce could have sent
 * (same layout as the emulator's, ~450 bytes per notification), each with notification and
 * record ids never used before: a benchmark that resent one body would measure the dedupe
 * path (no rows written, no fsync) rather than storing.
 *
 * The envelope is rendered once; each body only splices fresh ids into it, so the load
 * generator spends its time sending, not rendering.
 */
export function outboundBodyFactory(batch: number, runTag: string): () => string {
  if (!/^[a-z0-9]{4}$/.test(runTag)) throw new RangeError('runTag must be 4 characters a-z0-9');
  const template: OutboundMessage = {
    organizationId: BENCH_ORG_ID,
    actionId: '04k5g000000AbCdAAK',
    sessionId: null,
    enterpriseUrl: `https://${BENCH_INSTANCE_HOST}/services/Soap/c/60.0/00D5g000004XyZ1`,
    partnerUrl: `https://${BENCH_INSTANCE_HOST}/services/Soap/u/60.0/00D5g000004XyZ1`,
    notifications: Array.from({ length: batch }, (_, i) => ({
      id: `04l${SLOT}`,
      sObject: {
        type: 'Opportunity',
        id: `006${SLOT}`,
        fields: {
          AccountId: '0015g00000Lm3nOAAR',
          Amount: '12000.0',
          CloseDate: '2026-11-20',
          Name: `Acme Fibre 1 Gbps - 36 months #${i}`,
          StageName: 'Closed Won',
        },
      },
    })),
  };
  // parts[2k+1] and parts[2k+2] surround notification k's two ids.
  const parts = renderOutboundMessage(template).split(SLOT);
  let sequence = 0;
  return () => {
    const serial = runTag + (sequence++).toString(36).padStart(6, '0');
    let body = parts[0] ?? '';
    for (let slot = 1; slot < parts.length; slot++) {
      const notification = Math.floor((slot - 1) / 2);
      body += serial + notification.toString(36).padStart(2, '0') + (parts[slot] ?? '');
    }
    return body;
  };
}

/** A fresh 4-character tag, so runs against the same inbox never reuse an id. */
export function newRunTag(): string {
  return Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
}
