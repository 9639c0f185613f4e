import { SfRelayError } from '../shared/index.ts';

/** A server could not take its port: held by another process, or privileged. */
export class PortUnavailableError extends SfRelayError {
  constructor(
    readonly code: 'PORT_IN_USE' | 'PORT_FORBIDDEN',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PortHint {
  /** What wanted the port: "the relay", "the emulator", "the reference ERP". */
  readonly service: string;
  readonly host: string;
  readonly port: number;
  /** How to choose another: "--port N", "--erp-port N (or SFRELAY_PORT)". */
  readonly choose: string;
}

/**
 * Runs `listen` and turns Node's bare `listen EADDRINUSE: address already in use` into a
 * sentence that says which port, why, and the flag that picks another one.
 */
export async function withPortHint<T>(hint: PortHint, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
    // Only the listen call's own failures: an EACCES reading a file is a different story.
    if (syscall !== 'listen') throw error;
    const where = `${hint.host}:${hint.port}`;
    if (code === 'EADDRINUSE')
      throw new PortUnavailableError(
        'PORT_IN_USE',
        `${hint.service} cannot listen on ${where}: another process holds port ${hint.port} ` +
          `(an earlier sf-relay still running? \`lsof -i :${hint.port}\` or \`ss -ltnp\` names it). ` +
          `Stop it, or choose another port with ${hint.choose}`,
        { cause: error },
      );
    if (code === 'EACCES')
      throw new PortUnavailableError(
        'PORT_FORBIDDEN',
        hint.port > 0 && hint.port < 1024
          ? `${hint.service} may not listen on ${where}: ports under 1024 need root or ` +
              `CAP_NET_BIND_SERVICE. Choose a port from 1024 up with ${hint.choose}`
          : `${hint.service} may not listen on ${where}: the system refuses it (a security ` +
              `policy?). Choose another port with ${hint.choose}`,
        { cause: error },
      );
    if (code === 'EADDRNOTAVAIL')
      throw new PortUnavailableError(
        'PORT_FORBIDDEN',
        `${hint.service} cannot listen on ${where}: no network interface of this machine has ` +
          `the address ${hint.host}. Bind to 127.0.0.1, 0.0.0.0 or one of this machine's addresses`,
        { cause: error },
      );
    throw error;
  }
}
