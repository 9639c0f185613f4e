/**
 * The columns of a listed row. The SessionId is reduced to a flag inside SQL, so the secret
 * never leaves the database on the get/list path.
 */
export const LISTED_COLUMNS = `
  seq, id, organization_id, action_id, object_type, record_id, fields,
  enterprise_url, partner_url, received_at, state, attempts, attempts_since, next_attempt_at,
  lease_owner, lease_expires_at, last_error, updated_at, completed_at,
  session_id IS NOT NULL AS has_session_id`;
