import { z } from 'zod';
import { isLoopbackHost } from '../network/index.ts';
import type { Clock } from '../shared/index.ts';
import type { OAuthConfig } from '../config/index.ts';
import { badReply, describeIssues } from './classify-failure.ts';
import { signJwtAssertion } from './jwt-assertion.ts';
import { describeKeySource, type PrivateKeyReader, type PrivateKeySource } from './private-key.ts';
import { SalesforceAuthError, SalesforceRetryableError } from './salesforce-client.ts';
import { sendRequest } from './send-request.ts';
import type { Credential } from './credential.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface TokenRequestContext {
  /** The org the token is for, named in errors. */
  readonly organizationId: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly readPrivateKey: PrivateKeyReader;
}

// Salesforce's token reply; `id`, `issued_at`, `signature` and `token_type` come too but
// nothing here needs them.
const tokenReplySchema = z.object({
  access_token: z.string().min(1),
  // The token is sent wherever this points: over plain http only to a loopback emulator.
  instance_url: z.url({ protocol: /^https?$/ }).refine(
    (url) => {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' || isLoopbackHost(parsed.hostname);
    },
    { message: 'instance_url must be https (http only for a loopback host)' },
  ),
});

const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/**
 * Gets a new access token by the org's configured flow. A refusal (400 invalid_client,
 * invalid_grant, …) is a `SalesforceAuthError` that names the org, the flow and the client id;
 * no error or log ever carries the secret, the key or the token.
 */
export async function requestAccessToken(
  oauth: OAuthConfig,
  context: TokenRequestContext,
): Promise<Credential> {
  const flow = oauth.flow;
  const who = `OAuth ${flow} for org ${context.organizationId} (client id ${oauth.clientId})`;
  const form = await tokenForm(oauth, context, who);
  const loginUrl = oauth.loginUrl.replace(/\/+$/, '');
  const reply = await sendRequest(
    `${loginUrl}/services/oauth2/token`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    },
    context.timeoutMs,
    `${who} at ${loginUrl}`,
  );
  const json = parseJson(reply.body);
  if (reply.status === 200) {
    const token = tokenReplySchema.safeParse(json);
    if (!token.success) throw badReply(who, `token reply: ${describeIssues(token.error)}`);
    return {
      accessToken: token.data.access_token,
      instanceUrl: new URL(token.data.instance_url).origin,
    };
  }
  const refusal = oauthErrorSchema.safeParse(json);
  const reason = refusal.success
    ? `${refusal.data.error}${refusal.data.error_description === undefined ? '' : ` (${refusal.data.error_description})`}`
    : `HTTP ${reply.status}`;
  if (reply.status >= 500 || reply.status === 408 || reply.status === 429) {
    throw new SalesforceRetryableError(
      `HTTP_${reply.status}`,
      `${who}: the token endpoint answered ${reply.status}: ${reason}`,
    );
  }
  throw new SalesforceAuthError(`Salesforce refused ${who}: ${reason}`);
}

async function tokenForm(
  oauth: OAuthConfig,
  context: TokenRequestContext,
  who: string,
): Promise<URLSearchParams> {
  if (oauth.flow === 'client_credentials') {
    if (oauth.clientSecret === undefined)
      throw new SalesforceAuthError(`${who}: no clientSecret is configured`);
    return new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
    });
  }
  const source = keySource(oauth);
  if (oauth.username === undefined || source === undefined) {
    throw new SalesforceAuthError(
      `${who}: jwt_bearer needs username and privateKeyFile or privateKeyEnv`,
    );
  }
  let assertion: string;
  try {
    const pem = await context.readPrivateKey(source);
    assertion = signJwtAssertion(
      { iss: oauth.clientId, sub: oauth.username, aud: oauth.loginUrl, now: context.clock.now() },
      pem,
    );
  } catch (error) {
    // Node's messages name the problem (ENOENT, unsupported key) without echoing key material.
    const problem = error instanceof Error ? error.message : String(error);
    throw new SalesforceAuthError(
      `${who}: cannot sign the JWT with the private key from ${describeKeySource(source)}: ${problem}`,
      { cause: error },
    );
  }
  return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
}

function keySource(oauth: OAuthConfig): PrivateKeySource | undefined {
  if (oauth.privateKeyFile !== undefined) return { kind: 'file', path: oauth.privateKeyFile };
  if (oauth.privateKeyEnv !== undefined) return { kind: 'env', name: oauth.privateKeyEnv };
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
