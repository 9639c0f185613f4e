// The sf-relay command, for bin/sf-relay.js. Nothing in src/ imports it (layer rule nothing-imports-cli).
export { buildProgram, main } from './main.ts';
