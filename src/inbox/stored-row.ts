/**
 * Rows as both stores hand them over (times as epoch-ms numbers, the SessionId as a 0/1 flag on
 * listings), checked before anything reads them: see sqlite/columns.ts and postgres/columns.ts.
 */
import { z } from 'zod';
import { InboxRowInvalidError } from './errors.ts';
import type { ClaimedMessage, InboxMessage } from './inbox.ts';
import { MESSAGE_STATES } from './state-machine.ts';

const epochMs = z.number().int().min(0).max(8.64e15);

const baseRowSchema = z.object({
  seq: z.number().int().positive(),
  id: z.string().min(1),
  organization_id: z.string().min(1),
  action_id: z.string().min(1),
  object_type: z.string().min(1).nullable(),
  record_id: z.string().min(1).nullable(),
  fields: z.string(),
  enterprise_url: z.string(),
  partner_url: z.string(),
  received_at: epochMs,
  state: z.enum(MESSAGE_STATES),
  attempts: z.number().int().min(0),
  attempts_since: epochMs,
  next_attempt_at: epochMs.nullable(),
  lease_owner: z.string().min(1).nullable(),
  lease_expires_at: epochMs.nullable(),
  last_error: z.string().nullable(),
  updated_at: epochMs,
  completed_at: epochMs.nullable(),
});

const listedRowSchema = baseRowSchema.extend({
  has_session_id: z.union([z.literal(0), z.literal(1)]),
});
const claimedRowSchema = baseRowSchema.extend({
  session_id: z.string().nullable(),
  lease_token: z.string().min(1),
});
const fieldsSchema = z.record(z.string(), z.string().nullable());

type BaseRow = z.infer<typeof baseRowSchema>;

/** Names the row in an error: its notification id when that is usable, else its seq. */
function rowRef(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null) {
    if ('id' in raw && typeof raw.id === 'string' && raw.id.length > 0) return raw.id;
    if ('seq' in raw && (typeof raw.seq === 'number' || typeof raw.seq === 'bigint'))
      return `seq=${raw.seq}`;
  }
  return '(unidentified)';
}

function parseRow<S extends z.ZodType<BaseRow>>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const column = issue === undefined ? '(row)' : String(issue.path[0] ?? '(row)');
    throw new InboxRowInvalidError(
      rowRef(raw),
      column,
      issue?.message ?? 'does not match the schema',
    );
  }
  const row = result.data;
  if (row.state === 'processing' && (row.lease_owner === null || row.lease_expires_at === null)) {
    throw new InboxRowInvalidError(
      row.id,
      row.lease_owner === null ? 'lease_owner' : 'lease_expires_at',
      'a processing row must hold a lease',
    );
  }
  return row;
}

function parseFields(row: BaseRow): Record<string, string | null> {
  let json: unknown;
  try {
    json = JSON.parse(row.fields);
  } catch {
    throw new InboxRowInvalidError(row.id, 'fields', 'not valid JSON');
  }
  const result = fieldsSchema.safeParse(json);
  if (!result.success) {
    throw new InboxRowInvalidError(
      row.id,
      'fields',
      'expected a JSON object of string or null values',
    );
  }
  return result.data;
}

function date(ms: number): Date;
function date(ms: number | null): Date | null;
function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function toMessage(row: BaseRow, hasSessionId: boolean): InboxMessage {
  return {
    id: row.id,
    organizationId: row.organization_id,
    actionId: row.action_id,
    objectType: row.object_type,
    recordId: row.record_id,
    fields: parseFields(row),
    enterpriseUrl: row.enterprise_url,
    partnerUrl: row.partner_url,
    hasSessionId,
    receivedAt: date(row.received_at),
    state: row.state,
    attempts: row.attempts,
    attemptsSince: date(row.attempts_since),
    nextAttemptAt: date(row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: date(row.lease_expires_at),
    lastError: row.last_error,
    updatedAt: date(row.updated_at),
    completedAt: date(row.completed_at),
  };
}

/** A row selected with `LISTED_COLUMNS` → the listing shape (no SessionId). */
export function toInboxMessage(raw: unknown): InboxMessage {
  const row = parseRow(listedRowSchema, raw);
  return toMessage(row, row.has_session_id === 1);
}

/** A full row (`RETURNING *` of a claim) → the worker's shape, SessionId included. */
export function toClaimedMessage(raw: unknown): ClaimedMessage {
  const row = parseRow(claimedRowSchema, raw);
  return {
    ...toMessage(row, row.session_id !== null),
    sessionId: row.session_id,
    leaseToken: row.lease_token,
  };
}
