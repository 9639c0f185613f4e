import { type ConnectedApp, secretMatches } from './connected-app.ts';
import { invalidClientCredentials, invalidClientId } from './oauth-error.ts';

/** The connected app with this consumer key, or `invalid_client_id`. */
export function findApp(apps: readonly ConnectedApp[], clientId: string | null): ConnectedApp {
  const found = clientId === null ? undefined : apps.find((a) => a.clientId === clientId);
  if (!found) throw invalidClientId();
  return found;
}

/**
 * The app named by client_id + client_secret in the form, or by an HTTP Basic `authorization`
 * header (how client-credentials callers often send them); `invalid_client` on a wrong secret.
 */
export function authenticateClient(
  apps: readonly ConnectedApp[],
  form: URLSearchParams,
  authorization: string | undefined,
): ConnectedApp {
  let clientId = form.get('client_id');
  let clientSecret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic?.[1] !== undefined && clientId === null) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon !== -1) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  const client = findApp(apps, clientId);
  if (clientSecret === null || !secretMatches(client.clientSecret, clientSecret)) {
    throw invalidClientCredentials();
  }
  return client;
}
