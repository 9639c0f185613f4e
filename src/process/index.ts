export { awaitReadyUrl } from './await-ready-url.ts';
export { PortUnavailableError } from './listen-error.ts';
export { PROCESS_ERRORS } from './error-catalogue.ts';
