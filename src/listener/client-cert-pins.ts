import { X509Certificate } from 'node:crypto';

/** The pins of `tls.clientCertSubjects` / `tls.clientCertFingerprints`, compiled once. */
export interface ClientCertPins {
  readonly subjects: readonly string[];
  readonly fingerprints: readonly string[];
}

const hex = (fingerprint: string): string => fingerprint.replaceAll(':', '').toUpperCase();

/** `CN=a, O=b` and X509Certificate's `O=b\nCN=a` compare equal: the same pairs, any order. */
const dnKey = (dn: string): string =>
  dn
    .split(/[\n,]/)
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .sort()
    .join('\n');

const commonName = (dn: string): string | undefined =>
  dn
    .split('\n')
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith('CN='))
    ?.slice(3);

/**
 * True when the certificate is one of the pinned ones: its SHA-256 fingerprint, its subject CN
 * or its whole subject DN (an entry with `=`) is listed.
 */
export function certificateIsPinned(certificate: X509Certificate, pins: ClientCertPins): boolean {
  const fingerprint = hex(certificate.fingerprint256);
  if (pins.fingerprints.some((pin) => hex(pin) === fingerprint)) return true;
  const cn = commonName(certificate.subject);
  const dn = dnKey(certificate.subject);
  return pins.subjects.some((pin) => (pin.includes('=') ? dnKey(pin) === dn : pin === cn));
}

/**
 * The certificate a TLS proxy forwarded: URL-encoded PEM (nginx `$ssl_client_escaped_cert`),
 * PEM with its line breaks folded, or the bare base64 DER (Traefik). Undefined when unreadable.
 */
export function readForwardedCertificate(header: string): X509Certificate | undefined {
  try {
    const text = header.includes('%') ? decodeURIComponent(header) : header;
    const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/[\s"]/g, '');
    return new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    return undefined;
  }
}
