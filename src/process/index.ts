export { awaitReadyUrl, type ReadyLineOptions } from './await-ready-url.ts';
export { PortUnavailableError, withPortHint, type PortHint } from './listen-error.ts';
export { REPO_ROOT, SF_RELAY_BIN, compiledModule } from './sf-relay-bin.ts';
export { PROCESS_ERRORS } from './error-catalogue.ts';
