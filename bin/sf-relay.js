#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`; `npm install` builds it through
// `prepare`). Compiling TypeScript at every start cost seconds of start-up and tens of MB.
// `sf-relay messages | head`: a reader that went away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const entry = new URL('../dist/cli/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  // Only the entry itself missing means "not built"; a missing module inside it is a real bug.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname))
    throw error;
  process.stderr.write(
    `sf-relay: the compiled code is missing (${entry.pathname}). Run \`npm run build\` in ` +
      `${new URL('..', import.meta.url).pathname} (\`npm install\` runs it too).\n`,
  );
  process.exit(2);
}
process.exitCode = await main(process.argv);
