import { idChecksum, isSalesforceId } from '../../soap/index.ts';

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The id in the store's canonical 18-character form, or undefined when it is not an id.
 * A 15-character id is case-sensitive; an 18-character one is not, because its suffix records
 * which of the first 15 characters are upper case, so the case is restored from it.
 */
export function canonicalId(raw: string): string | undefined {
  if (!isSalesforceId(raw)) return undefined;
  if (raw.length === 15) return raw + idChecksum(raw);
  const suffix = raw.slice(15).toUpperCase();
  let id15 = '';
  for (let block = 0; block < 3; block++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix.charAt(block));
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const ch = raw.charAt(block * 5 + i);
      id15 += (bits & (1 << i)) !== 0 ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return id15 + idChecksum(id15);
}
