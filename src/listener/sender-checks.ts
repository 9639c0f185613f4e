import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelayConfig } from '../config/index.ts';
import {
  createIpMatcher,
  isLoopbackHost,
  normalizeAddress,
  presetsIn,
  type IpMatcher,
} from '../network/index.ts';
import { certificateIsPinned, readForwardedCertificate } from './client-cert-pins.ts';
import type { ListenerRefusalError } from './errors.ts';
import { refuse } from './fault-answer.ts';
import {
  ClientCertMissingError,
  ClientCertNotPinnedError,
  SourceNotAllowedError,
  TooManyConcurrentError,
} from './sender-errors.ts';

/**
 * Who may send outbound messages, decided from the connection before a byte of the body is
 * read: the source address, the client certificate's pins, and how many requests the source
 * already has in flight. (The endpoint token is checked by the route itself.)
 */
export interface SenderChecks {
  readonly allowedSourceIps: readonly string[];
  readonly trustProxy: readonly string[];
  readonly clientCertSubjects: readonly string[];
  readonly clientCertFingerprints: readonly string[];
  /** Lower-case header a trusted TLS proxy forwards the verified client certificate in. */
  readonly clientCertHeader: string | undefined;
  readonly maxConcurrentPerIp: number;
}

export function senderChecksOf(config: RelayConfig): SenderChecks {
  return {
    allowedSourceIps: config.allowedSourceIps,
    trustProxy: config.trustProxy,
    clientCertSubjects: config.tls?.clientCertSubjects ?? [],
    clientCertFingerprints: config.tls?.clientCertFingerprints ?? [],
    clientCertHeader: config.tls?.clientCertHeader,
    maxConcurrentPerIp: config.limits.maxConcurrentPerIp,
  };
}

/**
 * Why a listener bound to `config.host` would take messages from anyone, or undefined when at
 * least one sender check is on (or the address is loopback, reachable only from this machine).
 * Org ids are not secret, and every forged notification costs a read-back on our API allowance.
 */
export function unguardedEndpointProblem(config: RelayConfig): string | undefined {
  if (isLoopbackHost(config.host) || activeSenderChecks(config).length > 0) return undefined;
  return (
    `the relay binds ${config.host} but nothing checks who sends outbound messages: anyone who knows an org id ` +
    'could post forged ones, each costing an API call. Turn on at least one sender check: endpointToken ' +
    '(SFRELAY_ENDPOINT_TOKEN, 16+ URL-safe characters; Salesforce then posts to /soap/outbound/<token>), ' +
    'tls.requireClientCert with tls.caFile and tls.clientCertFingerprints, or allowedSourceIps (CIDRs, or ' +
    'the preset "salesforce"). See "Securing the endpoint" in the README'
  );
}

/** The sender checks `config` turns on, each in a few words: names and counts, never a secret. */
function activeSenderChecks(config: RelayConfig): string[] {
  const checks = senderChecksOf(config);
  const on: string[] = [];
  if (config.endpointToken !== undefined) on.push('the endpoint token in the path');
  // A forwarded certificate counts only from a trusted proxy: from anyone else it is ignored.
  const forwarded = checks.clientCertHeader !== undefined && checks.trustProxy.length > 0;
  if (config.tls?.requireClientCert === true || forwarded) {
    const pins = checks.clientCertSubjects.length + checks.clientCertFingerprints.length;
    on.push(`client certificates (${pins} pin${pins === 1 ? '' : 's'})`);
  }
  if (checks.allowedSourceIps.length > 0)
    on.push(`source addresses (allowedSourceIps: ${checks.allowedSourceIps.join(', ')})`);
  return on;
}

/** Which sender checks are on, in words; and what may refuse genuine messages, if anything. */
export interface SenderChecksSummary {
  readonly detail: string;
  readonly caution?: string;
}

/**
 * What `sf-relay check` says of the sender checks, and what the listener logs at start. The
 * caution is for a preset of published ranges: the file is only as current as its date, and
 * Hyperforce orgs send from cloud addresses outside it; their messages would be refused at the
 * door until Salesforce gives up on them after 24 hours.
 */
export function describeSenderChecks(config: RelayConfig): SenderChecksSummary {
  const on = activeSenderChecks(config);
  const detail =
    on.length > 0
      ? `checked: ${on.join('; ')}`
      : isLoopbackHost(config.host)
        ? `none: ${config.host} is reachable from this machine only`
        : 'none';
  const cautions = presetsIn(config.allowedSourceIps).map(
    (preset) =>
      `the "${preset.name}" preset holds the ranges published in ${preset.sourceDate} ` +
      `(src/network/salesforce-ip-ranges.json, retrieved ${preset.retrievedAt}); orgs that send ` +
      'from other addresses (every Hyperforce org) are refused until Salesforce gives up after 24 hours. ' +
      `Prefer endpointToken or pinned client certificates; to keep the preset, ${lowerFirst(preset.refresh)}`,
  );
  return cautions.length > 0 ? { detail, caution: cautions.join(' ') } : { detail };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The TLS peer's certificate, when the connection is TLS and the client presented one. */
function tlsCertificate(request: FastifyRequest): X509Certificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate();
  if (peer.raw === undefined) return undefined;
  return new X509Certificate(peer.raw);
}

/**
 * Adds the checks as an `onRequest` hook of `app`, so they run for every route registered in
 * it, before the body is read. A refusal is a SOAP fault (Salesforce shows it to the admin as
 * the delivery failure) naming what failed, never the configured values.
 */
export function addSenderChecks(app: FastifyInstance, checks: SenderChecks): void {
  const allowed: IpMatcher = createIpMatcher(checks.allowedSourceIps);
  const trustedProxy: IpMatcher = createIpMatcher(checks.trustProxy);
  const pins = {
    subjects: checks.clientCertSubjects,
    fingerprints: checks.clientCertFingerprints,
  };
  const pinning = pins.subjects.length > 0 || pins.fingerprints.length > 0;
  const inFlight = new Map<string, number>();

  const certificateOf = (request: FastifyRequest): X509Certificate | undefined => {
    const header = checks.clientCertHeader;
    // Only a trusted proxy's word counts: from anyone else the header is just text.
    if (header !== undefined && trustedProxy(request.raw.socket.remoteAddress)) {
      const value = request.headers[header];
      const text = Array.isArray(value) ? value[0] : value;
      return text === undefined || text === '' ? undefined : readForwardedCertificate(text);
    }
    return tlsCertificate(request);
  };

  const check = (request: FastifyRequest): ListenerRefusalError | undefined => {
    const source = normalizeAddress(request.ip);
    if (!allowed.empty && !allowed(source)) {
      return new SourceNotAllowedError(
        `the sender's address ${source} is not in allowedSourceIps; nothing was read or stored`,
      );
    }
    if (pinning) {
      const certificate = certificateOf(request);
      if (certificate === undefined) {
        return new ClientCertMissingError(
          'this endpoint requires a client certificate, and none was presented; nothing was stored',
        );
      }
      if (!certificateIsPinned(certificate, pins)) {
        return new ClientCertNotPinnedError(
          'the client certificate is not one of the pinned certificates (tls.clientCertSubjects / ' +
            'tls.clientCertFingerprints); nothing was stored',
        );
      }
    }
    return undefined;
  };

  app.addHook(
    'onRequest',
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      // The body is not read: close the connection after the answer rather than drain an upload.
      const closing = (): FastifyReply => reply.header('connection', 'close');
      const refusal = check(request);
      if (refusal !== undefined) return refuse(request, closing(), refusal);
      const source = normalizeAddress(request.ip);
      const count = inFlight.get(source) ?? 0;
      if (count >= checks.maxConcurrentPerIp) {
        return refuse(
          request,
          closing(),
          new TooManyConcurrentError(
            `${count} requests from this sender are still in progress; retry later`,
          ),
        );
      }
      inFlight.set(source, count + 1);
      reply.raw.once('close', () => {
        const left = (inFlight.get(source) ?? 1) - 1;
        if (left <= 0) inFlight.delete(source);
        else inFlight.set(source, left);
      });
      return undefined;
    },
  );
}
