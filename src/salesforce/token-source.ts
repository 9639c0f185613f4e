import type { Credential } from './credential.ts';

/**
 * One org's OAuth access token, cached until Salesforce rejects it (client credentials and
 * JWT bearer replies carry no expiry; the org's session timeout decides, and a 401 tells us).
 * Concurrent callers share one in-flight request, and a burst of 401s for the same token
 * renews it once: only the first caller still holding the rejected token starts a request.
 */
export class TokenSource {
  readonly #fetchToken: () => Promise<Credential>;
  #pending: Promise<Credential> | undefined;
  #current: Credential | undefined;

  constructor(fetchToken: () => Promise<Credential>) {
    this.#fetchToken = fetchToken;
  }

  get(): Promise<Credential> {
    if (this.#current !== undefined) return Promise.resolve(this.#current);
    this.#pending ??= this.#start();
    return this.#pending;
  }

  /** A fresh token in place of `rejected`; when someone already replaced it, theirs. */
  renew(rejected: Credential): Promise<Credential> {
    if (this.#current === rejected) this.#current = undefined;
    return this.get();
  }

  #start(): Promise<Credential> {
    const request = this.#fetchToken().then(
      (credential) => {
        if (this.#pending === request) {
          this.#current = credential;
          this.#pending = undefined;
        }
        return credential;
      },
      (error: unknown) => {
        // A refusal is not cached: the next call asks again (the operator may have fixed it).
        if (this.#pending === request) this.#pending = undefined;
        throw error;
      },
    );
    return request;
  }
}
