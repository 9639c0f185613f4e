const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** A 15-character (case-sensitive) or 18-character (case-insensitive) Salesforce id. */
export function isSalesforceId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * The 3-character suffix that makes a 15-character id case-insensitive: for each block of
 * five characters, a bit per upper-case letter, read as an index into A–Z0–5.
 */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(block * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id. */
export function toId18(id: string): string {
  if (!isSalesforceId(id)) throw new RangeError(`not a Salesforce id: ${JSON.stringify(id)}`);
  const id15 = id.slice(0, 15);
  return id15 + idChecksum(id15);
}

/** The case-sensitive 15-character prefix, which identifies the record or org in either form. */
export function toId15(id: string): string {
  if (!isSalesforceId(id)) throw new RangeError(`not a Salesforce id: ${JSON.stringify(id)}`);
  return id.slice(0, 15);
}
