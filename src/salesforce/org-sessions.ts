import type { Clock, Logger } from '../shared/index.ts';
import type { OAuthConfig, SalesforceConfig } from '../config/index.ts';
import { toId15 } from '../soap/index.ts';
import { InvalidSessionError } from './classify-failure.ts';
import { legacyInstanceUrl } from './legacy-instance.ts';
import type { ApiCall } from './credential.ts';
import type { PrivateKeyReader } from './private-key.ts';
import { requestAccessToken } from './request-access-token.ts';
import {
  SalesforceAuthError,
  SessionExpiredError,
  type CallbackTarget,
} from './salesforce-client.ts';
import { TokenSource } from './token-source.ts';

export interface OrgSessionsOptions {
  readonly config: SalesforceConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly readPrivateKey: PrivateKeyReader;
}

/**
 * Decides which credential an API call runs with, and what a 401 INVALID_SESSION_ID leads
 * to: OAuth (the default since Salesforce stopped sending session ids) renews the token once;
 * the legacy message SessionId falls back to OAuth when the org has it, else gives up with
 * `SessionExpiredError` so the worker can try a newer message's SessionId.
 */
export class OrgSessions {
  readonly #options: OrgSessionsOptions;
  /** By 15-character org id: each org's token is its own, even when the credentials are shared. */
  readonly #tokens = new Map<string, TokenSource>();

  constructor(options: OrgSessionsOptions) {
    this.#options = options;
  }

  async run<T>(target: CallbackTarget, call: ApiCall<T>): Promise<T> {
    const { config, logger } = this.#options;
    const org = orgKey(target.organizationId);
    const oauth = this.#oauthFor(org);
    if (config.useMessageSessionId && target.sessionId !== null) {
      const instanceUrl = legacyInstanceUrl({
        partnerUrl: target.partnerUrl,
        sessionId: target.sessionId,
        organizationId: org,
        pinnedHost: await this.#pinnedHost(org, oauth),
      });
      try {
        return await call({ instanceUrl, accessToken: target.sessionId });
      } catch (error) {
        if (!(error instanceof InvalidSessionError)) throw error;
        if (oauth === undefined) {
          throw new SessionExpiredError(
            `the message's SessionId has expired and no OAuth is configured for org ${org}`,
          );
        }
        logger.info(
          { organizationId: org, flow: oauth.flow },
          'message SessionId expired; calling back with OAuth',
        );
      }
    }
    if (oauth === undefined) {
      if (config.useMessageSessionId) {
        throw new SessionExpiredError(
          `the message carries no SessionId and no OAuth is configured for org ${org}`,
        );
      }
      throw new SalesforceAuthError(
        `no OAuth is configured for org ${org}: add salesforce.oauth or a salesforce.orgs entry for it`,
      );
    }
    return this.#withOAuth(org, oauth, call);
  }

  async #withOAuth<T>(org: string, oauth: OAuthConfig, call: ApiCall<T>): Promise<T> {
    const tokens = this.#tokenSource(org, oauth);
    const token = await tokens.get();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof InvalidSessionError)) throw error;
    }
    const fresh = await tokens.renew(token);
    try {
      return await call(fresh);
    } catch (error) {
      if (!(error instanceof InvalidSessionError)) throw error;
      // A token issued moments ago and refused at once: the app lacks the api scope, an IP
      // restriction applies, or the run-as user cannot use the API. Only an operator can fix it.
      throw new SalesforceAuthError(
        `Salesforce rejected a freshly issued OAuth ${oauth.flow} token for org ${org} (client id ${oauth.clientId}) with INVALID_SESSION_ID: check the app's OAuth scopes (api), IP relaxation and the user's API permission`,
        { cause: error },
      );
    }
  }

  /**
   * Where this org's SessionIds may go: `orgs[].instanceHost`, else the instance its OAuth token
   * names (one token request, then cached with the token), else nowhere.
   */
  async #pinnedHost(org: string, oauth: OAuthConfig | undefined): Promise<string | undefined> {
    const entry = this.#options.config.orgs.find((o) => orgKey(o.organizationId) === org);
    if (entry?.instanceHost !== undefined) return entry.instanceHost;
    if (oauth === undefined) return undefined;
    const credential = await this.#tokenSource(org, oauth).get();
    return new URL(credential.instanceUrl).host;
  }

  #oauthFor(org: string): OAuthConfig | undefined {
    const { config } = this.#options;
    const entry = config.orgs.find((o) => orgKey(o.organizationId) === org);
    return entry?.oauth ?? config.oauth;
  }

  #tokenSource(org: string, oauth: OAuthConfig): TokenSource {
    let source = this.#tokens.get(org);
    if (source === undefined) {
      const { clock, logger, config, readPrivateKey } = this.#options;
      source = new TokenSource(async () => {
        const credential = await requestAccessToken(oauth, {
          organizationId: org,
          clock,
          timeoutMs: config.timeoutMs,
          readPrivateKey,
        });
        logger.info({ organizationId: org, flow: oauth.flow }, 'Salesforce OAuth token obtained');
        return credential;
      });
      this.#tokens.set(org, source);
    }
    return source;
  }
}

function orgKey(organizationId: string): string {
  try {
    return toId15(organizationId);
  } catch {
    return organizationId;
  }
}
