/**
 * One part of the end-to-end scenario in its own process (`node dist/bench/scenarios/
 * end-to-end-part.js KIND …`, forked with an IPC channel): `erp DBFILE`, `relay SETTINGS_JSON`
 * or `org`. Apart, as in production, no part's synchronous fsync or CPU stalls another's event
 * loop, and each can be profiled on its own (`node --cpu-prof`). Sends `{type:'ready',…}` once
 * it listens; the org then takes `run` messages; every part exits cleanly on `stop`.
 */
import { z } from 'zod';
import {
  closeOpportunities,
  demoEmulatorConfig,
  demoRelayConfig,
  seedOpportunities,
} from '../../demo/index.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { startErp } from '../../erp-service/index.ts';
import { createLogger } from '../../shared/index.ts';
import { startRelay } from '../../relay/index.ts';
import type { OrgRun, PartMessage, PartReply } from './end-to-end-protocol.ts';

const relaySettings = z.object({
  port: z.number(),
  db: z.string(),
  emulatorUrl: z.string(),
  organizationId: z.string(),
  erpUrl: z.string(),
});

const logger = createLogger('error');
const send = (reply: PartReply): void => void process.send?.(reply);

async function start(
  kind: string | undefined,
  arg: string | undefined,
): Promise<() => Promise<void>> {
  if (kind === 'erp' && arg !== undefined) {
    const erp = await startErp({ port: 0, dbPath: arg, logger });
    send({ type: 'ready', url: erp.url, organizationId: null });
    return () => erp.close();
  }
  if (kind === 'relay' && arg !== undefined) {
    const relay = await startRelay(demoRelayConfig(relaySettings.parse(JSON.parse(arg))), logger);
    send({ type: 'ready', url: relay.url, organizationId: null });
    return () => relay.close();
  }
  if (kind === 'org') {
    const emulator = await startEmulator({ logger, config: demoEmulatorConfig() });
    process.on('message', (message: PartMessage) => {
      if (message.type === 'run') void run(emulator, message).then(send);
    });
    send({ type: 'ready', url: emulator.url, organizationId: emulator.organizationId });
    return () => emulator.close();
  }
  throw new Error(`unknown part ${JSON.stringify(kind)}; expected erp DBFILE, relay JSON or org`);
}

/** Seeds, closes at the rate and waits for every order number (or the deadline). */
async function run(emulator: RunningEmulator, order: OrgRun): Promise<PartReply> {
  const seeding = process.cpuUsage();
  const ids = seedOpportunities(emulator, order.count);
  const seeded = process.cpuUsage(seeding);
  const closing = closeOpportunities(emulator, ids, order.endpointUrl, order.closesPerSecond);
  await closing.closed;
  const deadline = performance.now() + order.deadlineMs;
  const waiting = (): boolean => closing.latenciesInCloseOrderMs().includes(null);
  while (waiting() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  closing.stop();
  return {
    type: 'done',
    latenciesInCloseOrderMs: closing.latenciesInCloseOrderMs(),
    seedCpuMs: (seeded.user + seeded.system) / 1000,
  };
}

const close = await start(process.argv[2], process.argv[3]);
process.on('message', (message: PartMessage) => {
  if (message.type === 'usage') {
    const { user, system } = process.cpuUsage();
    send({ type: 'usage', cpuMs: (user + system) / 1000 });
  }
  // A clean exit, so that `--cpu-prof` writes its profile.
  if (message.type === 'stop') void close().then(() => process.exit(0));
});
process.once('disconnect', () => void close().then(() => process.exit(0)));
