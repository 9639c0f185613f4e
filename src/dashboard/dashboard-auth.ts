import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface DashboardCredentials {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
  /** No credentials asked (loopback only; the relay refuses it elsewhere). */
  readonly open?: boolean | undefined;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

export type OperatorGuard = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

/** True when credentials are configured, so every operator route asks for them. */
export function hasCredentials(credentials: DashboardCredentials): boolean {
  return (
    credentials.token !== undefined ||
    (credentials.username !== undefined && credentials.password !== undefined)
  );
}

/**
 * Basic auth (what a browser prompts for) or a bearer token (for scripts), compared in
 * constant time. With neither configured the operator surface is closed unless it was opened
 * explicitly (`dashboard.open`): "the relay is on 127.0.0.1" does not mean "only I can reach
 * it" once a TLS proxy on the same machine forwards to it.
 */
export function dashboardGuard(credentials: DashboardCredentials): OperatorGuard {
  const { username, password, token } = credentials;
  const configured = hasCredentials(credentials);
  const open = !configured && credentials.open === true;
  return async (request, reply) => {
    if (open) return undefined;
    if (!configured) {
      return reply.code(403).send({
        error:
          'the dashboard is closed: set dashboard.username + dashboard.password or dashboard.token ' +
          '(SFRELAY_DASHBOARD_*), or dashboard.open: true for a relay that nothing but this machine reaches',
      });
    }
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
