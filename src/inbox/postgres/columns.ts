/**
 * Column lists that hand `stored-row.ts` the same shapes SQLite does: bigint times and seq as
 * JavaScript numbers (float8 is exact below 2^53, far beyond any epoch-ms or seq we write), the
 * `json` fields as text, and the SessionId reduced to a 0/1 flag inside SQL so that the secret
 * never leaves the database on the get/list path.
 */
const COMMON = `
  seq::float8 AS seq, id, organization_id, action_id, object_type, record_id, fields::text AS fields,
  enterprise_url, partner_url, received_at::float8 AS received_at, state, attempts,
  attempts_since::float8 AS attempts_since,
  next_attempt_at::float8 AS next_attempt_at, lease_owner,
  lease_expires_at::float8 AS lease_expires_at, last_error, updated_at::float8 AS updated_at,
  completed_at::float8 AS completed_at`;

export const LISTED_COLUMNS = `${COMMON}, (session_id IS NOT NULL)::int AS has_session_id`;

/** Only a claim returns these: the lease holder is the one reader allowed the SessionId. */
export const CLAIMED_COLUMNS = `${COMMON}, session_id, lease_token`;
