import { isIP } from 'node:net';

/**
 * True for a name or address that can only reach this machine: `localhost`, 127.0.0.0/8 and
 * `::1` (also in brackets and as an IPv4-mapped IPv6 address).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
