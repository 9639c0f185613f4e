import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DASHBOARD_HTML } from './page.ts';

/** CSP source for each inline block of the page, so nothing else inline can ever run. */
function inlineHashes(tag: 'script' | 'style'): string {
  const blocks = [...DASHBOARD_HTML.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))];
  return blocks
    .map(
      (block) =>
        `'sha256-${createHash('sha256')
          .update(block[1] ?? '')
          .digest('base64')}'`,
    )
    .join(' ');
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${inlineHashes('script')}`,
  `style-src ${inlineHashes('style')}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every operator response: the page runs only its own script, cannot be framed
 * (clickjacking the Replay button), leaks no URL in Referer, and nothing is cached.
 */
export async function securityHeaders(
  _request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store');
}

/**
 * Cross-site request forgery: a browser attaches cached basic credentials to a form post from
 * any site. A state change must be JSON (a form cannot send it without a CORS preflight, which
 * we never grant) and, when the browser names its origin, come from this very origin.
 */
export function crossSiteRefusal(request: FastifyRequest): string | undefined {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return 'send Content-Type: application/json (this guards against cross-site form posts)';
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'cross-site requests are refused';
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return 'the Origin header is not a URL';
    }
    if (host !== request.host) return `requests from origin ${origin} are refused`;
  }
  return undefined;
}
