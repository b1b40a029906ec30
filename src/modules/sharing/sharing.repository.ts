import type { Db, Tx } from '../../db/pool.js';
import { announce } from '../../db/notices.js';

export interface RequestRow {
  id: string;
  resource_id: string;
  resource_name: string;
  resource_code: string;
  provider_org_id: string;
  provider_name: string;
  requester_org_id: string;
  requester_org_name: string;
  requester_id: string;
  requester_name: string;
  share_type: string;
  share_kind: string;
  fields: string[];
  row_filter: Record<string, string[]> | null;
  masking: Record<string, string> | null;
  purpose: string;
  scenario: string;
  legal_basis: string | null;
  until: string;
  delivery: string;
  push_endpoint: string | null;
  push_schedule: string | null;
  status: string;
  answer_due: string | null;
  deliver_due: string | null;
  overdue: boolean;
  agreement_accepted_at: Date | null;
  decided_at: Date | null;
  channel_id: string | null;
  created_at: Date;
}
export interface StepRow {
  id: string;
  request_id: string;
  position: number;
  reviewer: 'platform' | 'authority' | 'provider';
  status: string;
  due: string | null;
  started_at: Date | null;
  reminded_at: Date | null;
  overdue_at: Date | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  basis: string | null;
  comment: string | null;
}
export interface ChannelRow {
  id: string;
  request_id: string;
  resource_id: string;
  resource_name: string;
  provider_org_id: string;
  provider_name: string;
  consumer_org_id: string;
  consumer_name: string;
  fields: string[];
  row_filter: Record<string, string[]> | null;
  masking: Record<string, string>;
  delivery: string;
  verify_only: boolean;
  salt: string;
  status: string;
  status_reason: string | null;
  expires_at: Date;
  last_used_at: Date | null;
  push_endpoint: string | null;
  push_schedule: string | null;
  push_cursor: number;
  next_push_at: Date | null;
  push_attempts: number;
  created_at: Date;
}

const REQUEST = `r.*, res.name AS resource_name, res.code AS resource_code, po.name AS provider_name, ro.name AS requester_org_name
  FROM share_requests r JOIN resources res ON res.id = r.resource_id
  JOIN organisations po ON po.id = r.provider_org_id JOIN organisations ro ON ro.id = r.requester_org_id`;
const CHANNEL = `c.*, res.name AS resource_name, po.name AS provider_name, co.name AS consumer_name
  FROM channels c JOIN resources res ON res.id = c.resource_id
  JOIN organisations po ON po.id = c.provider_org_id JOIN organisations co ON co.id = c.consumer_org_id`;

/**
 * Who may see which requests and channels: a SQL condition on the requester/consumer and provider.
 */
export interface Scope {
  all: boolean;
  orgId: string;
}

export async function isNamedRecipient(
  tx: Tx,
  resourceId: string,
  orgId: string,
): Promise<boolean> {
  const { rows } = await tx.query(
    'SELECT 1 FROM share_recipients WHERE resource_id = $1 AND org_id = $2',
    [resourceId, orgId],
  );
  return rows.length > 0;
}
export async function setRecipients(tx: Tx, resourceId: string, orgIds: string[]): Promise<void> {
  await tx.query('DELETE FROM share_recipients WHERE resource_id = $1', [resourceId]);
  await tx.query(
    'INSERT INTO share_recipients (resource_id, org_id) SELECT $1, unnest($2::uuid[])',
    [resourceId, orgIds],
  );
}
export async function listRecipients(tx: Tx, resourceId: string): Promise<string[]> {
  const { rows } = await tx.query(
    'SELECT org_id FROM share_recipients WHERE resource_id = $1 ORDER BY org_id',
    [resourceId],
  );
  return rows.map((r) => r.org_id);
}

export async function insertRequest(
  tx: Tx,
  r: Omit<
    RequestRow,
    | 'id'
    | 'resource_name'
    | 'resource_code'
    | 'provider_name'
    | 'requester_org_name'
    | 'masking'
    | 'overdue'
    | 'agreement_accepted_at'
    | 'decided_at'
    | 'channel_id'
    | 'created_at'
  >,
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO share_requests (resource_id, provider_org_id, requester_org_id, requester_id, requester_name, share_type, share_kind, fields,
       row_filter, purpose, scenario, legal_basis, until, delivery, push_endpoint, push_schedule, status, answer_due, deliver_due)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) RETURNING id`,
    [
      r.resource_id,
      r.provider_org_id,
      r.requester_org_id,
      r.requester_id,
      r.requester_name,
      r.share_type,
      r.share_kind,
      r.fields,
      r.row_filter ? JSON.stringify(r.row_filter) : null,
      r.purpose,
      r.scenario,
      r.legal_basis,
      r.until,
      r.delivery,
      r.push_endpoint,
      r.push_schedule,
      r.status,
      r.answer_due,
      r.deliver_due,
    ],
  );
  return rows[0].id;
}
export async function getRequest(
  tx: Tx,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<RequestRow | undefined> {
  if (opts.lock) await tx.query('SELECT 1 FROM share_requests WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await tx.query(`SELECT ${REQUEST} WHERE r.id = $1`, [id]);
  return rows[0];
}
export async function updateRequest(
  tx: Tx,
  id: string,
  patch: Partial<Pick<RequestRow, 'status' | 'deliver_due' | 'channel_id' | 'overdue'>> & {
    masking?: string;
    row_filter?: string;
  } & { decided_at?: Date; agreement_accepted_at?: Date; agreement_by?: string },
): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  await tx.query(
    `UPDATE share_requests SET ${entries
      .map(([k], i) => `${k} = $${i + 2}`)
      .concat('updated_at = now()')
      .join(', ')} WHERE id = $1`,
    [id, ...entries.map(([, v]) => v)],
  );
}

/**
 * Requests visible to a body: its own, those for its resources, or all for the platform's
 * overseers.
 */
export async function listRequests(
  tx: Tx,
  f: {
    scope: Scope;
    role: 'mine' | 'to-review' | 'all';
    reviewerKinds: string[];
    status?: string;
    overdue?: boolean;
    limit: number;
    offset: number;
  },
): Promise<{
  rows: (RequestRow & { pending_reviewer: string | null; pending_due: string | null })[];
  total: number;
}> {
  const params: unknown[] = [
    f.scope.all,
    f.scope.orgId,
    f.role,
    f.reviewerKinds,
    f.status ?? null,
    f.overdue ?? null,
  ];
  const where = `WHERE ($1 OR r.requester_org_id = $2 OR r.provider_org_id = $2)
    AND ($3 <> 'mine' OR r.requester_org_id = $2)
    AND ($3 <> 'to-review' OR EXISTS (SELECT 1 FROM share_steps s WHERE s.request_id = r.id AND s.status = 'pending'
         AND s.reviewer = ANY($4) AND (s.reviewer <> 'provider' OR r.provider_org_id = $2)))
    AND ($5::text IS NULL OR r.status = $5)
    AND ($6::boolean IS NULL OR r.overdue = $6)`;
  const pending = `(SELECT s.reviewer FROM share_steps s WHERE s.request_id = r.id AND s.status = 'pending') AS pending_reviewer,
    (SELECT s.due FROM share_steps s WHERE s.request_id = r.id AND s.status = 'pending') AS pending_due`;
  const [page, count] = await Promise.all([
    tx.query(
      `SELECT ${pending}, ${REQUEST} ${where} ORDER BY r.created_at DESC LIMIT $7 OFFSET $8`,
      [...params, f.limit, f.offset],
    ),
    tx.query(`SELECT count(*)::int AS n FROM share_requests r ${where}`, params),
  ]);
  return { rows: page.rows, total: count.rows[0].n };
}

export async function insertSteps(
  tx: Tx,
  requestId: string,
  steps: { reviewer: string; status: string; due: string | null }[],
): Promise<void> {
  for (const [i, s] of steps.entries()) {
    await tx.query(
      `INSERT INTO share_steps (request_id, position, reviewer, status, due, started_at) VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'pending' THEN now() END)`,
      [requestId, i + 1, s.reviewer, s.status, s.due],
    );
  }
}
export async function listSteps(tx: Tx, requestId: string): Promise<StepRow[]> {
  const { rows } = await tx.query(
    'SELECT * FROM share_steps WHERE request_id = $1 ORDER BY position',
    [requestId],
  );
  return rows;
}
export async function decideStep(
  tx: Tx,
  id: string,
  d: { status: string; by: string; byName: string; basis: string | null; comment: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE share_steps SET status = $2, decided_by = $3, decided_by_name = $4, basis = $5, comment = $6, decided_at = now() WHERE id = $1`,
    [id, d.status, d.by, d.byName, d.basis, d.comment],
  );
}
export async function startStep(tx: Tx, id: string): Promise<void> {
  await tx.query(`UPDATE share_steps SET status = 'pending', started_at = now() WHERE id = $1`, [
    id,
  ]);
}
export async function skipWaitingSteps(tx: Tx, requestId: string): Promise<void> {
  await tx.query(
    `UPDATE share_steps SET status = 'skipped' WHERE request_id = $1 AND status = 'waiting'`,
    [requestId],
  );
}

export async function insertChannel(
  tx: Tx,
  c: Pick<
    ChannelRow,
    | 'request_id'
    | 'resource_id'
    | 'provider_org_id'
    | 'consumer_org_id'
    | 'fields'
    | 'row_filter'
    | 'masking'
    | 'delivery'
    | 'verify_only'
    | 'salt'
    | 'push_endpoint'
    | 'push_schedule'
  > & { expires_at: string; next_push_at: Date | null },
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO channels (request_id, resource_id, provider_org_id, consumer_org_id, fields, row_filter, masking, delivery, verify_only, salt,
       status, expires_at, push_endpoint, push_schedule, next_push_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'active',($11::date + 1)::timestamptz,$12,$13,$14) RETURNING id`,
    [
      c.request_id,
      c.resource_id,
      c.provider_org_id,
      c.consumer_org_id,
      c.fields,
      c.row_filter ? JSON.stringify(c.row_filter) : null,
      JSON.stringify(c.masking),
      c.delivery,
      c.verify_only,
      c.salt,
      c.expires_at,
      c.push_endpoint,
      c.push_schedule,
      c.next_push_at,
    ],
  );
  return rows[0].id;
}
export async function getChannel(tx: Tx, id: string): Promise<ChannelRow | undefined> {
  const { rows } = await tx.query(`SELECT ${CHANNEL} WHERE c.id = $1`, [id]);
  return rows[0];
}
export async function listChannels(
  tx: Tx,
  f: { scope: Scope; status?: string; limit: number; offset: number },
): Promise<{ rows: ChannelRow[]; total: number }> {
  const params = [f.scope.all, f.scope.orgId, f.status ?? null];
  const where =
    'WHERE ($1 OR c.consumer_org_id = $2 OR c.provider_org_id = $2) AND ($3::text IS NULL OR c.status = $3)';
  const [page, count] = await Promise.all([
    tx.query(`SELECT ${CHANNEL} ${where} ORDER BY c.created_at DESC LIMIT $4 OFFSET $5`, [
      ...params,
      f.limit,
      f.offset,
    ]),
    tx.query(`SELECT count(*)::int AS n FROM channels c ${where}`, params),
  ]);
  return { rows: page.rows, total: count.rows[0].n };
}
/** Changes a channel's state; every instance forgets its copy when the transaction commits. */
export async function setChannelStatus(
  tx: Tx,
  id: string,
  status: string,
  reason: string | null,
  expiresAt?: string,
): Promise<void> {
  await tx.query(
    `UPDATE channels SET status = $2, status_reason = $3, expires_at = coalesce(($4::date + 1)::timestamptz, expires_at), updated_at = now() WHERE id = $1`,
    [id, status, reason, expiresAt ?? null],
  );
  await announce(tx, 'gongshu_channel', id);
}
export async function touchChannel(tx: Tx | Db, id: string): Promise<void> {
  await tx.query(`UPDATE channels SET last_used_at = now() WHERE id = $1`, [id]);
}

export async function insertViolation(
  tx: Tx,
  v: {
    channel_id: string;
    org_id: string;
    actor_id: string | null;
    actor_name: string | null;
    kind: string;
    detail: object;
  },
): Promise<void> {
  await tx.query(
    'INSERT INTO share_violations (channel_id, org_id, actor_id, actor_name, kind, detail) VALUES ($1,$2,$3,$4,$5,$6)',
    [v.channel_id, v.org_id, v.actor_id, v.actor_name, v.kind, JSON.stringify(v.detail)],
  );
}
export async function listViolations(tx: Tx, limit: number, offset: number) {
  const q = `FROM share_violations v JOIN channels c ON c.id = v.channel_id JOIN resources res ON res.id = c.resource_id JOIN organisations o ON o.id = v.org_id`;
  const [page, count] = await Promise.all([
    tx.query(
      `SELECT v.*, res.name AS resource_name, o.name AS org_name ${q} ORDER BY v.at DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    ),
    tx.query(`SELECT count(*)::int AS n ${q}`),
  ]);
  return { rows: page.rows, total: count.rows[0].n as number };
}
export async function listDeliveries(tx: Tx, channelId: string, limit: number) {
  const { rows } = await tx.query(
    'SELECT * FROM push_deliveries WHERE channel_id = $1 ORDER BY id DESC LIMIT $2',
    [channelId, limit],
  );
  return rows;
}
