/** The ack scenario's servers under test (names only: `sf-relay bench --help` needs no more). */
export const TARGET_NAMES = [
  'baseline',
  'node-soap',
  'sf-relay-sqlite',
  'sf-relay-postgres',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
