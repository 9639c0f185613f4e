import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface DashboardCredentials {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/**
 * Basic auth (what a browser prompts for) or a bearer token (for scripts), compared in
 * constant time. With neither configured the dashboard is open, which the relay allows only
 * on a loopback address.
 */
export function dashboardGuard(credentials: DashboardCredentials) {
  const { username, password, token } = credentials;
  const open = token === undefined && (username === undefined || password === undefined);
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    if (open) return undefined;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (token !== undefined && bearer !== undefined && same(bearer, token)) return undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    if (basic !== undefined && username !== undefined && password !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      if (same(decoded, `${username}:${password}`)) return undefined;
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Basic realm="sf-relay dashboard", charset="UTF-8"')
      .send({ error: 'authentication required' });
  };
}
