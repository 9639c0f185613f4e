import { createHash, timingSafeEqual } from 'node:crypto';

/** A connected app (or external client app) as the emulator's config declares it. */
export interface ConnectedApp {
  readonly name: string;
  /** The consumer key. */
  readonly clientId: string;
  /** The consumer secret. */
  readonly clientSecret: string;
  /** The client-credentials flow's run-as user; without one that flow is refused, as Salesforce does. */
  readonly runAsUsername?: string;
  /** X.509 certificate (PEM) whose key signs JWT bearer assertions; without one that flow is refused. */
  readonly certificatePem?: string;
  /** OAuth scopes granted; a refresh token is issued only with `refresh_token`. Default `api refresh_token`. */
  readonly scopes?: readonly string[];
}

export const DEFAULT_SCOPES: readonly string[] = ['api', 'refresh_token'];

export function scopesOf(app: ConnectedApp): readonly string[] {
  return app.scopes ?? DEFAULT_SCOPES;
}

/** Compares secrets in constant time, so response timing says nothing about how much matched. */
export function secretMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
