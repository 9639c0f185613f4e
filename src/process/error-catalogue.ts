import { defineErrorCatalogue } from '../shared/index.ts';

export const PROCESS_ERRORS = defineErrorCatalogue('process', {
  PORT_IN_USE: {
    meaning:
      'A server could not take its port: another process holds it (often an earlier sf-relay still running).',
    action:
      'Stop that process (`ss -ltnp` names it) or choose another port with the option the message names.',
  },
  PORT_FORBIDDEN: {
    meaning:
      'A server may not listen where asked: a port under 1024 without root, or an address no interface of this machine has.',
    action:
      'Choose a port from 1024 up, or bind to 127.0.0.1, 0.0.0.0 or one of this machine’s addresses.',
  },
});
