export {
  IP_RANGE_PRESETS,
  createIpMatcher,
  isIpRange,
  isIpRangeOrPreset,
  normalizeAddress,
  presetsIn,
  type IpMatcher,
  type IpRangePreset,
} from './ip-range.ts';
export { isLoopbackHost } from './loopback.ts';
