/**
 * Runs one comparison target in its own process (`node dist/bench/targets/serve-target.js KIND`),
 * so each server has a core's worth of event loop to itself, like the relay has. Prints
 * `{"event":"target.listening","url":…}` once it accepts connections; stops on SIGTERM.
 */
import { BenchScenarioError } from '../scenario-error.ts';
import { buildBaselineServer } from './baseline-server.ts';

const HOST = '127.0.0.1';
const kind = process.argv[2];

async function start(): Promise<{ port: number; close: () => Promise<void> }> {
  if (kind === 'baseline') {
    const app = buildBaselineServer();
    await app.listen({ host: HOST, port: 0 });
    const address = app.server.address();
    return {
      port: typeof address === 'object' && address ? address.port : 0,
      close: () => app.close(),
    };
  }
  if (kind === 'node-soap') {
    // Loaded only here: soap is a development dependency the baseline does not need.
    const { startNodeSoapServer } = await import('./node-soap-server.ts');
    const server = await startNodeSoapServer(HOST, 0);
    const address = server.address();
    return {
      port: typeof address === 'object' && address ? address.port : 0,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  throw new BenchScenarioError(
    `unknown target ${JSON.stringify(kind)}; expected baseline or node-soap`,
  );
}

const running = await start();
process.stdout.write(
  `${JSON.stringify({ event: 'target.listening', url: `http://${HOST}:${running.port}` })}\n`,
);
process.once('SIGTERM', () => {
  void running.close().then(() => process.exit(0));
});
