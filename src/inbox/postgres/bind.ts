import { InboxArgumentError } from '../errors.ts';
/**
 * The shared SQL (../transitions.ts, ../purge.ts) is written with `:name` parameters, as
 * SQLite takes them; node-postgres wants `$1…`. `:now` becomes the database's own clock unless
 * a value is passed (tests drive time with a manual clock): leases are judged by one clock,
 * the server's, whatever the clocks of the processes that share the inbox say.
 */
export interface BoundQuery {
  readonly text: string;
  readonly names: readonly string[];
}

// A `:` that starts a parameter: not part of a `::` cast, not inside a word.
const PARAMETER = /(?<![:\w]):([A-Za-z_]\w*)/g;

export const DATABASE_NOW_MS = `(extract(epoch from statement_timestamp()) * 1000)::bigint`;

export function toPositional(sql: string): BoundQuery {
  const names: string[] = [];
  const text = sql.replace(PARAMETER, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    const placeholder = `$${index + 1}`;
    return name === 'now' ? `COALESCE(${placeholder}::bigint, ${DATABASE_NOW_MS})` : placeholder;
  });
  return { text, names };
}

/** The values for a bound query, in its placeholder order. Throws on a missing one (a bug). */
export function valuesFor(query: BoundQuery, params: Readonly<Record<string, unknown>>): unknown[] {
  return query.names.map((name) => {
    if (!Object.hasOwn(params, name))
      throw new InboxArgumentError(`:${name}`, 'the SQL statement names it but no value was bound');
    return params[name];
  });
}
