export { startRelay, assertStartable, type RunningRelay, type RelayParts } from './start-relay.ts';
