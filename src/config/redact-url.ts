/**
 * A database URL fit for logs and error messages: the password of `postgres://user:pw@host`
 * is replaced; anything that is not a URL with credentials comes back unchanged.
 */
export function redactUrlCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.password === '') return value;
  url.password = '***';
  return url.toString();
}
