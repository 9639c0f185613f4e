/**
 * The outbound-message readers side by side in one process: the single-pass scanner the
 * listener uses (`parseOutboundMessage`) against the tree reader it replaced
 * (`parseOutboundMessageByTree`), on bodies of 1 and 100 notifications as the ack benchmark
 * sends them. Reports operations per second and their ratio; the ratio is what to compare.
 *
 *   npx tsx bench/parse-outbound-message.ts [seconds-per-measurement]
 */
import { newRunTag, outboundBodyFactory } from '../src/bench/outbound-body.ts';
import {
  parseOutboundMessage,
  parseOutboundMessageByTree,
} from '../src/soap/parse-outbound-message.ts';

const seconds = Number(process.argv[2] ?? 2);

type Reader = (input: Uint8Array) => unknown;

/** Calls per second over `seconds`, cycling through pre-made bodies (as the listener gets Buffers). */
function opsPerSecond(read: Reader, bodies: readonly Buffer[]): number {
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  let started = performance.now();
  // Half a second of warm-up, so both readers are measured optimised.
  for (let warm = started + 500; performance.now() < warm; calls++) {
    read(bodies[calls % bodies.length] ?? Buffer.alloc(0));
  }
  calls = 0;
  started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 10; i++, calls++) read(bodies[calls % bodies.length] ?? Buffer.alloc(0));
  }
  return calls / ((performance.now() - started) / 1000);
}

const rows: Record<string, number | string>[] = [];
for (const batch of [1, 100]) {
  const next = outboundBodyFactory(batch, newRunTag());
  const bodies = Array.from({ length: 64 }, () => Buffer.from(next(), 'utf8'));
  // Alternate the two readers twice, so drift on a shared machine hits both alike.
  const tree: number[] = [];
  const scan: number[] = [];
  for (let round = 0; round < 2; round++) {
    tree.push(opsPerSecond(parseOutboundMessageByTree, bodies));
    scan.push(opsPerSecond(parseOutboundMessage, bodies));
  }
  const treeOps = Math.max(...tree);
  const scanOps = Math.max(...scan);
  rows.push({
    notifications: batch,
    bodyBytes: bodies[0]?.byteLength ?? 0,
    'tree ops/s': Math.round(treeOps),
    'scan ops/s': Math.round(scanOps),
    'scan/tree': Number((scanOps / treeOps).toFixed(2)),
  });
}
console.table(rows);
