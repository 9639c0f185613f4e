import { readFile } from 'node:fs/promises';
import { SalesforceAuthError } from './salesforce-client.ts';

/** Where the JWT bearer flow's private key lives: a PEM file, or an environment variable. */
export type PrivateKeySource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string };

/** Returns the PEM text. Injectable so tests and secret stores can supply the key. */
export type PrivateKeyReader = (source: PrivateKeySource) => Promise<string>;

/** Reads the key on every token request, so a rotated key is picked up without a restart. */
export const readPrivateKeyFromSource: PrivateKeyReader = async (source) => {
  if (source.kind === 'file') return readFile(source.path, 'utf8');
  const value = process.env[source.name];
  if (value === undefined || value.trim() === '') {
    throw new SalesforceAuthError(
      `the JWT private key's environment variable ${source.name} is not set`,
    );
  }
  // Environment variables often carry PEM with literal \n (one line in a .env file).
  return value.includes('\\n') ? value.replaceAll('\\n', '\n') : value;
};

export function describeKeySource(source: PrivateKeySource): string {
  return source.kind === 'file' ? `file ${source.path}` : `environment variable ${source.name}`;
}
