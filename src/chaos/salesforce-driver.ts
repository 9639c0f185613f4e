import { setTimeout as sleep } from 'node:timers/promises';
import { escapeText, readXml, SOAP_ENVELOPE_NS, type XmlElement } from '../soap/index.ts';
import { messageOf } from '../shared/index.ts';

const PARTNER_NS = 'urn:partner.soap.sforce.com';
const SOBJECT_NS = 'urn:sobject.partner.soap.sforce.com';
const API_VERSION = '60.0';
/** Salesforce's per-call record limit for create and update. */
export const RECORDS_PER_CALL = 200;
/** Injected faults are drawn per call; this many in a row means something else is wrong. */
const MAX_TRIES = 40;

export class SalesforceDriverError extends Error {
  readonly code = 'CHAOS_SALESFORCE_FAILED';
}

export type FieldValues = Readonly<Record<string, string | number | boolean>>;

interface Credentials {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The "users" of the chaos run's org: creates and closes records through the emulator's
 * SOAP API in batches of 200, as a data loader would, and reads them back with SOQL. Like any
 * Salesforce client it lives with the faults the run injects: a call refused with 503,
 * UNABLE_TO_LOCK_ROW or an expired session changed nothing, so it gets a new token if needed
 * and tries again.
 */
export class SalesforceDriver {
  readonly #credentials: Credentials;
  #token: string | undefined;

  constructor(credentials: Credentials) {
    this.#credentials = credentials;
  }

  /** Creates the records (at most 200 per call); ids in input order. */
  async create(type: string, records: readonly FieldValues[]): Promise<string[]> {
    return this.#save('create', type, records);
  }

  /** Updates the records, each with its `Id`; at most 200 per call. */
  async update(type: string, records: readonly (FieldValues & { Id: string })[]): Promise<void> {
    await this.#save('update', type, records);
  }

  /** Runs a SOQL query over REST and follows `nextRecordsUrl` to the end. */
  async query<T>(soql: string): Promise<T[]> {
    const records: T[] = [];
    let path = `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`;
    for (;;) {
      const page = await this.#withRetries(`SOQL ${soql}`, async (token) => {
        const response = await fetch(`${this.#credentials.url}${path}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        if (response.ok) return { ok: true as const, value: JSON.parse(text) as QueryPage<T> };
        return { ok: false as const, status: response.status, detail: text.slice(0, 300) };
      });
      records.push(...page.records);
      if (page.done || page.nextRecordsUrl === undefined) return records;
      path = page.nextRecordsUrl;
    }
  }

  async #save(
    kind: 'create' | 'update',
    type: string,
    records: readonly FieldValues[],
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < records.length; start += RECORDS_PER_CALL) {
      const batch = records.slice(start, start + RECORDS_PER_CALL);
      const what = `SOAP ${kind} of ${batch.length} ${type} records`;
      const results = await this.#withRetries(what, async (token) => {
        const response = await fetch(`${this.#credentials.url}/services/Soap/u/${API_VERSION}`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
          body: renderSave(kind, token, type, batch),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        const body = readXml(text).children.find(
          (c) => c.uri === SOAP_ENVELOPE_NS && c.local === 'Body',
        );
        const fault = body?.children.find((c) => c.local === 'Fault');
        if (fault !== undefined || !response.ok) {
          return { ok: false as const, status: response.status, detail: text.slice(0, 300) };
        }
        return { ok: true as const, value: body?.children[0]?.children ?? [] };
      });
      for (const [index, result] of results.entries()) {
        if (textOf(result, 'success') !== 'true') {
          throw new SalesforceDriverError(
            `${what}: record ${start + index + 1} failed: ${
              textOf(
                result.children.find((c) => c.local === 'errors'),
                'message',
              ) ?? 'no reason given'
            }`,
          );
        }
        ids.push(textOf(result, 'id') ?? '');
      }
    }
    return ids;
  }

  async #withRetries<T>(
    what: string,
    call: (
      token: string,
    ) => Promise<{ ok: true; value: T } | { ok: false; status: number; detail: string }>,
  ): Promise<T> {
    let last = '';
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      let outcome: Awaited<ReturnType<typeof call>>;
      try {
        outcome = await call(await this.#accessToken());
      } catch (error) {
        last = messageOf(error);
        await sleep(50 * attempt);
        continue;
      }
      if (outcome.ok) return outcome.value;
      last = `HTTP ${outcome.status}: ${outcome.detail}`;
      // The session expired (the run expires them on purpose): log in again.
      if (outcome.detail.includes('INVALID_SESSION_ID')) this.#token = undefined;
      else if (!/SERVER_UNAVAILABLE|UNABLE_TO_LOCK_ROW/.test(outcome.detail)) break;
      await sleep(20 * attempt);
    }
    throw new SalesforceDriverError(`${what} kept failing; last answer ${last}`);
  }

  async #accessToken(): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    const { url, clientId, clientSecret } = this.#credentials;
    const response = await fetch(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
      signal: AbortSignal.timeout(60_000),
    });
    // Never the body: it would carry the token.
    if (!response.ok)
      throw new SalesforceDriverError(`OAuth token request answered ${response.status}`);
    const token = ((await response.json()) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string')
      throw new SalesforceDriverError('OAuth token reply had no access_token');
    this.#token = token;
    return token;
  }
}

interface QueryPage<T> {
  readonly records: T[];
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
}

function renderSave(
  kind: 'create' | 'update',
  sessionId: string,
  type: string,
  records: readonly FieldValues[],
): string {
  const sObjects = records
    .map((record) => {
      const fields = Object.entries(record)
        .map(([name, value]) => `<s:${name}>${escapeText(String(value))}</s:${name}>`)
        .join('');
      return `<p:sObjects><s:type>${escapeText(type)}</s:type>${fields}</p:sObjects>`;
    })
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<e:Envelope xmlns:e="${SOAP_ENVELOPE_NS}" xmlns:p="${PARTNER_NS}" xmlns:s="${SOBJECT_NS}">` +
    `<e:Header><p:SessionHeader><p:sessionId>${escapeText(sessionId)}</p:sessionId></p:SessionHeader></e:Header>` +
    `<e:Body><p:${kind}>${sObjects}</p:${kind}></e:Body></e:Envelope>`
  );
}

function textOf(parent: XmlElement | undefined, local: string): string | undefined {
  return parent?.children.find((c) => c.local === local)?.text.trim();
}
