import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.ts';
import { toId15, toId18 } from '../../soap/index.ts';
import { SalesforceApiError, invalidSession } from '../api-error.ts';
import type { EmulatorUser, Session, SessionAuthority } from './session-authority.ts';

export interface SessionAuthorityOptions {
  readonly clock: Clock;
  /** The org's id (15 or 18 characters); tokens start with its 15-character form. */
  readonly organizationId: string;
  readonly users: readonly EmulatorUser[];
  /** The org's session timeout (Setup → Session Settings); Salesforce's default is two hours. */
  readonly sessionTtlSeconds: number;
}

/** The emulator's authority: the `SessionAuthority` contract plus what the control API needs. */
export interface EmulatorSessionAuthority extends SessionAuthority {
  readonly organizationId: string;
  readonly sessionTtlSeconds: number;
  /** Live sessions, for the control API (counts only; never print the tokens). */
  liveSessionCount(): number;
}

interface LiveSession {
  readonly session: Omit<Session, 'expiresAt'>;
  lastRefreshedAt: number;
}

const INVALID_LOGIN_MESSAGE = 'Invalid username, password, security token; or user locked out.';

/**
 * An opaque token shaped like Salesforce's (`00D5g000004Xyz1!AQ0AQ…`): the 15-character org id,
 * `!`, then random text from Salesforce's alphabet (letters, digits, `.` and `_`).
 */
export function newAccessToken(organizationId: string): string {
  const random = randomBytes(72).toString('base64url').replaceAll('-', '.');
  return `${toId15(organizationId)}!AQ${random}`;
}

// Longer than most functions here on purpose: one closure owns the session and user maps, and
// each method of the object it returns is a few lines over them; splitting it would hand the
// maps around instead.
export function createSessionAuthority(options: SessionAuthorityOptions): EmulatorSessionAuthority {
  const { clock } = options;
  if (!Number.isFinite(options.sessionTtlSeconds) || options.sessionTtlSeconds <= 0) {
    throw new RangeError(
      `sessionTtlSeconds must be a positive number; got ${options.sessionTtlSeconds}`,
    );
  }
  const organizationId = toId18(options.organizationId);
  const ttlMs = options.sessionTtlSeconds * 1000;
  const usersById = new Map<string, EmulatorUser>();
  const usersByName = new Map<string, EmulatorUser>();
  for (const user of options.users) {
    usersById.set(toId18(user.id), user);
    // Salesforce usernames are case-insensitive.
    usersByName.set(user.username.toLowerCase(), user);
  }
  const sessions = new Map<string, LiveSession>();

  const view = (live: LiveSession): Session => ({
    ...live.session,
    expiresAt: new Date(live.lastRefreshedAt + ttlMs),
  });

  const findUser = (userIdOrUsername: string): EmulatorUser | undefined => {
    const byName = usersByName.get(userIdOrUsername.toLowerCase());
    if (byName) return byName;
    try {
      return usersById.get(toId18(userIdOrUsername));
    } catch {
      return undefined;
    }
  };

  const issue = (userId: string, clientId: string | null = null): Session => {
    const user = findUser(userId);
    if (!user)
      throw new SalesforceApiError(
        'INVALID_CROSS_REFERENCE_KEY',
        `no user with id ${userId} in this org`,
      );
    const now = clock.now().getTime();
    const accessToken = newAccessToken(organizationId);
    const live: LiveSession = {
      session: {
        accessToken,
        userId: toId18(user.id),
        username: user.username,
        organizationId,
        clientId,
        issuedAt: new Date(now),
      },
      lastRefreshedAt: now,
    };
    sessions.set(accessToken, live);
    return view(live);
  };

  return {
    organizationId,
    sessionTtlSeconds: options.sessionTtlSeconds,

    authenticate(token) {
      if (token === undefined || token === '') throw invalidSession();
      const live = sessions.get(token);
      if (!live) throw invalidSession();
      const now = clock.now().getTime();
      if (now >= live.lastRefreshedAt + ttlMs) {
        sessions.delete(token);
        throw invalidSession();
      }
      // Salesforce extends a session on activity only once more than half its timeout has
      // passed, so the expiry moves in steps rather than on every call.
      if (now - live.lastRefreshedAt > ttlMs / 2) live.lastRefreshedAt = now;
      return view(live);
    },

    issue,

    login(username, password) {
      const user = usersByName.get(username.toLowerCase());
      if (!user || user.password !== password) {
        throw new SalesforceApiError('INVALID_LOGIN', INVALID_LOGIN_MESSAGE, { status: 500 });
      }
      return issue(user.id, null);
    },

    revoke(token) {
      return sessions.delete(token);
    },

    expireAll() {
      sessions.clear();
    },

    findUser,

    liveSessionCount() {
      const now = clock.now().getTime();
      let count = 0;
      for (const live of sessions.values()) if (now < live.lastRefreshedAt + ttlMs) count++;
      return count;
    },
  };
}
