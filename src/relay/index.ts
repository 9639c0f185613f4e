export {
  startRelay,
  assertStartable,
  startProblems,
  type RunningRelay,
  type RelayParts,
} from './start-relay.ts';
