import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { announce } from '../../db/notices.js';
import type { CryptoSuite } from '../../lib/crypto.js';
import { toDay } from '../../lib/working-days.js';
import { append, type AuditEntry } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import type { Profile } from '../profiles/index.js';
import { readChannelChanges, withPoolFields, type ReadGrant } from './channel.reads.js';
import type { ChannelRow } from './sharing.repository.js';

const SYSTEM = { kind: 'system' as const, id: null, name: 'gongshu', orgId: null };
const REVIEWER_ROLE: Record<string, string> = {
  platform: 'platform_admin',
  authority: 'reviewer',
  provider: 'officer',
};

async function notify(
  tx: Tx,
  n: {
    orgId: string | null;
    role: string | null;
    kind: string;
    subjectId: string;
    message: { zh: string; en: string };
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO notifications (org_id, role, kind, subject_id, message) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [n.orgId, n.role, n.kind, n.subjectId, JSON.stringify(n.message)],
  );
}

/**
 * Reminds reviewers the working day before a step is due, and marks it overdue (visible to the
 * authority) once the day has passed. Each change is an UPDATE that only the first of several
 * instances can make, so every reminder fires once.
 */
async function deadlines(tx: Tx, now: Date): Promise<{ reminded: number; overdue: number }> {
  const cal = await loadCalendar(tx);
  const today = toDay(now);
  const { rows: pending } = await tx.query(
    `SELECT s.id, s.request_id, s.reviewer, s.due::text AS due, s.reminded_at, s.overdue_at, r.provider_org_id, res.name AS resource_name
       FROM share_steps s JOIN share_requests r ON r.id = s.request_id JOIN resources res ON res.id = r.resource_id
      WHERE s.status = 'pending' AND s.due IS NOT NULL AND (s.reminded_at IS NULL OR s.overdue_at IS NULL)`,
  );
  const remind = pending.filter(
    (s) => !s.reminded_at && s.due >= today && cal.workingDaysBetween(today, s.due) <= 1,
  );
  const late = pending.filter((s) => !s.overdue_at && s.due < today);
  const { rows: reminded } = await tx.query(
    `UPDATE share_steps SET reminded_at = now() WHERE id = ANY($1) AND reminded_at IS NULL RETURNING id`,
    [remind.map((s) => s.id)],
  );
  const { rows: overdue } = await tx.query(
    `UPDATE share_steps SET overdue_at = now() WHERE id = ANY($1) AND overdue_at IS NULL RETURNING id, request_id`,
    [late.map((s) => s.id)],
  );
  const byId = new Map(pending.map((s) => [s.id, s]));
  for (const { id } of reminded) {
    const s = byId.get(id)!;
    await notify(tx, {
      orgId: s.reviewer === 'provider' ? s.provider_org_id : null,
      role: REVIEWER_ROLE[s.reviewer],
      kind: 'share.reminder',
      subjectId: s.request_id,
      message: {
        zh: `共享申请「${s.resource_name}」将于 ${s.due} 到期，请尽快审核`,
        en: `The share request for "${s.resource_name}" is due on ${s.due}`,
      },
    });
  }
  if (overdue.length) {
    await tx.query(
      `UPDATE share_requests SET overdue = true, updated_at = now() WHERE id = ANY($1)`,
      [overdue.map((o) => o.request_id)],
    );
    for (const { id, request_id } of overdue) {
      const s = byId.get(id)!;
      await notify(tx, {
        orgId: null,
        role: 'reviewer',
        kind: 'share.overdue',
        subjectId: request_id,
        message: {
          zh: `共享申请「${s.resource_name}」已超过审核期限（${s.due}）`,
          en: `The share request for "${s.resource_name}" is past its deadline (${s.due})`,
        },
      });
    }
  }
  return { reminded: reminded.length, overdue: overdue.length };
}

/** Channels past their expiry end; channels unused for the profile's period freeze [004 §17]. */
async function channelStates(
  tx: Tx,
  profile: Profile,
  suite: CryptoSuite,
): Promise<{ expired: number; frozen: number }> {
  const { rows: expired } = await tx.query(
    `UPDATE channels SET status = 'expired', status_reason = 'expired', updated_at = now()
      WHERE status IN ('active', 'suspended') AND expires_at <= now() RETURNING id`,
  );
  let frozen: { id: string }[] = [];
  if (profile.channelFreezeDays) {
    ({ rows: frozen } = await tx.query(
      `UPDATE channels SET status = 'frozen', status_reason = $1, updated_at = now()
        WHERE status = 'active' AND coalesce(last_used_at, created_at) < now() - make_interval(days => $2) RETURNING id`,
      [`unused for ${profile.channelFreezeDays} days`, profile.channelFreezeDays],
    ));
  }
  await announce(
    tx,
    'gongshu_channel',
    [...expired, ...frozen].map((c) => c.id),
  );
  const entries: AuditEntry[] = [
    ...expired.map((c) => ({
      actor: SYSTEM,
      action: 'channel.expire',
      targetType: 'channel',
      targetId: c.id,
      outcome: 'success' as const,
    })),
    ...frozen.map((c) => ({
      actor: SYSTEM,
      action: 'channel.freeze',
      targetType: 'channel',
      targetId: c.id,
      outcome: 'success' as const,
      details: { days: profile.channelFreezeDays },
    })),
  ];
  await append(tx, suite, entries);
  return { expired: expired.length, frozen: frozen.length };
}

const PUSH_INTERVAL = { hourly: '1 hour', daily: '1 day' } as const;
const BACKOFF_SECONDS = [30, 120, 600, 3600];

/**
 * Why a push did not arrive, in words of ours and the system's error code (`ECONNREFUSED`,
 * `ENOTFOUND`, …), never the HTTP client's own message: the deliveries list is shown to both
 * bodies.
 */
function deliveryError(err: unknown): string {
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown } };
  if (e?.name === 'TimeoutError') return 'timeout';
  const code = [e?.cause?.code, e?.code].find(
    (c): c is string => typeof c === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(c),
  );
  return code ? `unreachable (${code})` : 'unreachable';
}

/**
 * One scheduled push: the changes since the channel's push cursor, masked, POSTed to the consumer.
 */
async function pushOne(
  db: Db,
  channel: ChannelRow,
  suite: CryptoSuite,
): Promise<'delivered' | 'failed' | 'idle'> {
  const grant: ReadGrant = await withTx(db, (tx) => withPoolFields(tx, channel));
  const since = Number(channel.push_cursor);
  const changes = await withTx(db, (tx) => readChannelChanges(tx, grant, since, 10_000, suite));
  const interval = PUSH_INTERVAL[(channel.push_schedule ?? 'daily') as keyof typeof PUSH_INTERVAL];
  if (changes.items.length === 0) {
    await db.query(
      `UPDATE channels SET next_push_at = now() + $2::interval, push_claimed_until = NULL WHERE id = $1`,
      [channel.id, interval],
    );
    return 'idle';
  }
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(channel.push_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gongshu-channel': channel.id },
      body: JSON.stringify({
        channelId: channel.id,
        resource: channel.resource_name,
        since: String(since),
        nextCursor: changes.nextCursor,
        changes: changes.items,
      }),
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (err) {
    error = deliveryError(err);
  }
  const attempt = channel.push_attempts + 1;
  await withTx(db, async (tx) => {
    await tx.query(
      `INSERT INTO push_deliveries (channel_id, cursor_from, cursor_to, rows, attempt, status, http_status, error) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        channel.id,
        since,
        changes.nextCursor,
        changes.items.length,
        attempt,
        error ? 'failed' : 'delivered',
        status,
        error,
      ],
    );
    if (error) {
      const wait = BACKOFF_SECONDS[Math.min(attempt - 1, BACKOFF_SECONDS.length - 1)];
      await tx.query(
        `UPDATE channels SET push_attempts = $2, next_push_at = now() + make_interval(secs => $3), push_claimed_until = NULL WHERE id = $1`,
        [channel.id, attempt, wait],
      );
    } else {
      await tx.query(
        `UPDATE channels SET push_attempts = 0, push_cursor = $2, last_used_at = now(), next_push_at = now() + $3::interval, push_claimed_until = NULL WHERE id = $1`,
        [channel.id, changes.nextCursor, interval],
      );
    }
    await append(tx, suite, [
      {
        actor: SYSTEM,
        action: 'share.push',
        targetType: 'channel',
        targetId: channel.id,
        outcome: error ? 'failure' : 'success',
        details: {
          resourceId: channel.resource_id,
          orgId: channel.consumer_org_id,
          fields: channel.fields,
          rows: changes.items.length,
          attempt,
          httpStatus: status,
          error,
        },
      },
    ]);
  });
  return error ? 'failed' : 'delivered';
}

/** Claims due pushes (one instance each) and delivers them. */
async function pushes(db: Db, suite: CryptoSuite): Promise<{ delivered: number; failed: number }> {
  const { rows } = await db.query<ChannelRow>(
    `UPDATE channels c SET push_claimed_until = now() + interval '5 minutes'
       FROM resources res
      WHERE res.id = c.resource_id AND c.id IN (
        SELECT id FROM channels WHERE push_endpoint IS NOT NULL AND status = 'active' AND next_push_at <= now()
           AND (push_claimed_until IS NULL OR push_claimed_until < now()) ORDER BY next_push_at LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING c.*, res.name AS resource_name`,
  );
  const counts = { delivered: 0, failed: 0 };
  for (const channel of rows) {
    const outcome = await pushOne(db, channel, suite);
    if (outcome !== 'idle') counts[outcome]++;
  }
  return counts;
}

/**
 * Everything time drives in sharing, idempotent and safe to run from every instance at once:
 * deadline reminders and overdue marks, expiry and freezing of channels, scheduled pushes.
 */
export async function runSharingTimers(
  db: Db,
  profile: Profile,
  suite: CryptoSuite,
  now = new Date(),
) {
  const d = await withTx(db, (tx) => deadlines(tx, now));
  const c = await withTx(db, (tx) => channelStates(tx, profile, suite));
  const p = await pushes(db, suite);
  return { ...d, ...c, ...p };
}
