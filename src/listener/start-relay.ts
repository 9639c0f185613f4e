import { readFileSync } from 'node:fs';
import { ConfigError, type RelayConfig } from '../config/index.ts';
import { openInbox, type Inbox } from '../inbox/index.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_OUTBOUND_WSDL, readOutboundWsdl, type OutboundWsdl } from '../soap/index.ts';
import { buildRelayServer } from './relay-server.ts';

export interface RunningRelay {
  /** Base URL the relay listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly inbox: Inbox;
  /** Stops accepting, finishes requests in flight, then closes the inbox. */
  close(): Promise<void>;
}

/** Checks what must hold before the relay accepts a single message. */
export function assertStartable(config: RelayConfig): void {
  if (config.allowedOrganizationIds.length === 0) {
    throw new ConfigError(
      'allowedOrganizationIds is empty, so every message would be refused: list the 15- or 18-character ' +
        'ids of the Salesforce orgs to accept, in the config file (allowedOrganizationIds) or ' +
        'SFRELAY_ALLOWED_ORGANIZATION_IDS=00D…,00D…',
    );
  }
  if (config.role !== 'listener') {
    throw new ConfigError(
      `role ${JSON.stringify(config.role)} is not available in this version: the worker has not landed yet, ` +
        'so only --role listener runs',
    );
  }
}

export function loadWsdl(path: string | undefined): OutboundWsdl {
  if (path === undefined)
    return readOutboundWsdl(DEFAULT_OUTBOUND_WSDL, 'the default Opportunity WSDL');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`wsdl: cannot read ${path}: ${reason}`, { cause });
  }
  return readOutboundWsdl(text, path);
}

export async function startRelay(config: RelayConfig, logger: Logger): Promise<RunningRelay> {
  assertStartable(config);
  const wsdl = loadWsdl(config.wsdl);
  const inbox = openInbox(config.db);
  const app = buildRelayServer({ config, inbox, logger, wsdl });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await inbox.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    inbox,
    close: () => {
      closing ??= app.close().then(() => inbox.close());
      return closing;
    },
  };
}
