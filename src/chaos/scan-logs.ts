import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Session ids and access tokens look like `<org id>!<opaque>` in Salesforce and the emulator. */
const TOKEN_SHAPE = /00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._-]{8,}/;

/**
 * What secrets the log files hold: the run's client secret, private keys, and anything shaped
 * like a Salesforce session or access token. One line per finding, naming the file, never
 * the secret itself.
 */
export function scanLogsForSecrets(files: readonly string[], secrets: readonly string[]): string[] {
  const findings: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const name = basename(file);
    for (const secret of secrets)
      if (secret !== '' && text.includes(secret)) findings.push(`${name} holds the client secret`);
    if (text.includes('PRIVATE KEY')) findings.push(`${name} holds a private key`);
    if (TOKEN_SHAPE.test(text)) findings.push(`${name} holds a Salesforce session or access token`);
  }
  return findings;
}
