/**
 * A database URL fit for logs and error messages: the password of `postgres://user:pw@host`
 * is replaced; anything that is not a URL with credentials comes back unchanged.
 */
export function redactUrlCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not parseable, e.g. a password holding '/': hide everything between scheme and the last '@'.
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/i, '$1***@');
  }
  let changed = false;
  if (url.password !== '') {
    url.password = '***';
    changed = true;
  }
  for (const name of SECRET_PARAMETERS) {
    if (url.searchParams.has(name)) {
      url.searchParams.set(name, '***');
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

/** Query parameters node-postgres (libpq style) reads a secret from. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];
