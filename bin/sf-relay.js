#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx sf-relay` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
// `sf-relay messages | head`: a reader that went away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
