import { X509Certificate, verify } from 'node:crypto';
import type { Clock } from '../../shared/index.ts';
import type { ConnectedApp } from './connected-app.ts';
import { OAuthError, invalidAssertion, invalidClientId } from './oauth-error.ts';

/** Audiences Salesforce accepts besides the org's own login and instance URLs. */
const PUBLIC_LOGIN_URLS = ['https://login.salesforce.com', 'https://test.salesforce.com'];

/**
 * Salesforce's JWT bearer flow documents `exp` as "the expiration time of the assertion within
 * 3 minutes": an assertion that claims to live longer is refused like an expired one.
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 180;

export interface VerifiedAssertion {
  readonly app: ConnectedApp;
  readonly username: string;
}

export interface JwtBearerContext {
  readonly apps: readonly ConnectedApp[];
  readonly clock: Clock;
  /** URLs the `aud` claim may name (the emulator's login and instance URLs). */
  readonly audiences: readonly string[];
}

interface Claims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalidAssertion();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readClaims(value: unknown): Claims {
  if (!isRecord(value)) throw invalidAssertion();
  const { iss, sub, aud, exp } = value;
  const audOk =
    typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
  if (typeof iss !== 'string' || typeof sub !== 'string' || !audOk || typeof exp !== 'number') {
    throw invalidAssertion();
  }
  return { iss, sub, aud: aud as string | readonly string[], exp };
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Checks an RS256 assertion as Salesforce does: signature against the app's certificate, `iss`
 * a known consumer key, `aud` the login server, `exp` in the future and at most three minutes
 * away. Returns the app and the `sub` username; the caller checks the user exists.
 */
export function verifyJwtBearer(
  assertion: string | undefined,
  context: JwtBearerContext,
): VerifiedAssertion {
  if (assertion === undefined || assertion === '') throw invalidAssertion();
  const parts = assertion.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (
    parts.length !== 3 ||
    headerPart === undefined ||
    payloadPart === undefined ||
    signaturePart === undefined
  ) {
    throw invalidAssertion();
  }
  const header = decodeJson(headerPart);
  if (!isRecord(header) || header.alg !== 'RS256') throw invalidAssertion();
  const claims = readClaims(decodeJson(payloadPart));

  const app = context.apps.find((a) => a.clientId === claims.iss);
  if (!app) throw invalidClientId();
  if (app.certificatePem === undefined) throw invalidAssertion();

  let signatureValid: boolean;
  try {
    const publicKey = new X509Certificate(app.certificatePem).publicKey;
    signatureValid = verify(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
      publicKey,
      Buffer.from(signaturePart, 'base64url'),
    );
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) throw invalidAssertion();

  const allowed = new Set([...context.audiences, ...PUBLIC_LOGIN_URLS].map(withoutTrailingSlash));
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!audiences.some((aud) => allowed.has(withoutTrailingSlash(aud)))) {
    throw new OAuthError('invalid_grant', 'audience is invalid');
  }

  const nowSeconds = context.clock.now().getTime() / 1000;
  if (claims.exp <= nowSeconds || claims.exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new OAuthError('invalid_grant', 'expired authorization code');
  }
  return { app, username: claims.sub };
}
