import { BlockList, isIP } from 'node:net';
import salesforceRanges from './salesforce-ip-ranges.json' with { type: 'json' };

/** Named lists a user may write in place of CIDRs (`allowedSourceIps: [salesforce]`). */
export const IP_RANGE_PRESETS: Readonly<Record<string, IpRangePreset>> = {
  salesforce: salesforceRanges,
};

export interface IpRangePreset {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly sourceDate: string;
  readonly retrievedAt: string;
  /** Where the list is kept now, and how to bring the file up to date. */
  readonly refresh: string;
  readonly ranges: readonly string[];
}

/** The presets named in a list of ranges (`[salesforce, 10.0.0.0/8]` → the salesforce preset). */
export function presetsIn(entries: readonly string[]): IpRangePreset[] {
  return entries.flatMap((entry) => presetNamed(entry) ?? []);
}

/** The preset an entry names, or undefined for a range (own keys only: not `toString`). */
function presetNamed(entry: string): IpRangePreset | undefined {
  return Object.hasOwn(IP_RANGE_PRESETS, entry) ? IP_RANGE_PRESETS[entry] : undefined;
}

interface ParsedRange {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly prefix: number;
}

function parseRange(text: string): ParsedRange | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? '0') || !Number.isInteger(prefix) || prefix > bits) {
    return undefined;
  }
  return { address, family: version === 4 ? 'ipv4' : 'ipv6', prefix };
}

/** An IPv4 or IPv6 address, or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpRange(text: string): boolean {
  return parseRange(text) !== undefined;
}

export function isIpRangeOrPreset(text: string): boolean {
  return presetNamed(text) !== undefined || isIpRange(text);
}

/** A client's address as the socket gives it: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  return address;
}

/** Answers whether an address is inside any of the configured ranges and presets. */
export interface IpMatcher {
  (address: string | undefined): boolean;
  /** No ranges configured: nothing matches. */
  readonly empty: boolean;
}

/** Compiles ranges (validated by the config schema; an invalid one throws) and presets once. */
export function createIpMatcher(entries: readonly string[]): IpMatcher {
  const list = new BlockList();
  for (const entry of entries) {
    for (const text of presetNamed(entry)?.ranges ?? [entry]) {
      const range = parseRange(text);
      if (range === undefined) throw new TypeError(`${JSON.stringify(text)} is not an IP range`);
      list.addSubnet(range.address, range.prefix, range.family);
    }
  }
  const matcher = (address: string | undefined): boolean => {
    if (address === undefined || entries.length === 0) return false;
    const bare = normalizeAddress(address);
    const version = isIP(bare);
    if (version === 0) return false;
    return list.check(bare, version === 4 ? 'ipv4' : 'ipv6');
  };
  return Object.assign(matcher, { empty: entries.length === 0 });
}
