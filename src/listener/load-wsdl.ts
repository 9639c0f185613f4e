import { messageOf } from '../shared/index.ts';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/index.ts';
import { DEFAULT_OUTBOUND_WSDL, readOutboundWsdl, type OutboundWsdl } from '../soap/index.ts';

/** The configured outbound-message WSDL, or the default Opportunity one. */
export function loadWsdl(path: string | undefined): OutboundWsdl {
  if (path === undefined)
    return readOutboundWsdl(DEFAULT_OUTBOUND_WSDL, 'the default Opportunity WSDL');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = messageOf(cause);
    throw new ConfigError(`wsdl: cannot read ${path}: ${reason}`, { cause });
  }
  try {
    return readOutboundWsdl(text, path);
  } catch (cause) {
    // The operator's file, not a sender's message: a configuration error (exit code 2).
    throw new ConfigError(`wsdl: ${messageOf(cause)}`, { cause });
  }
}
