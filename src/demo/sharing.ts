/**
 * Sharing in the demo deployment, made through the sharing services as people would:
 *  - 税务局 (swj) reads 市场主体登记信息 through an open channel, personal fields masked;
 *  - 人社局 (rsj) receives a daily scheduled push to a local endpoint that nothing listens on, so
 *    the delivery log shows failed attempts and their retries (the UI says so);
 *  - 交通局 (jtj) holds a channel unused for 100 days, which the first timer run freezes [004 §17];
 *  - 卫健委 (wjw) asked 30 days ago and nobody answered: the timers mark it overdue;
 *  - a 税务局 read asked for a field its channel does not grant: refused, on the over-scope report.
 * The sharing timers run when the server starts (src/server/jobs.ts), right after seeding.
 */
import type { Tx } from '../db/pool.js';
import { loadCalendar } from '../modules/calendar/index.js';
import type { CatalogField, PoolResource } from '../modules/catalog/index.js';
import { getPoolResource } from '../modules/catalog/index.js';
import type { Actor } from '../modules/identity/index.js';
import { getProfile, type ProfileId } from '../modules/profiles/index.js';
import {
  acceptAgreement,
  chinaToday,
  createRequest,
  decide,
  recordOutOfScope,
  sharingRepository as shareRepo,
  type SharingContext,
} from '../modules/sharing/index.js';
import { demoActor as actor } from './actor.js';
import type { CryptoSuite } from '../lib/crypto.js';

/**
 * A local address where nothing listens (port 9, "discard"): each push fails and is retried with
 * back-off.
 */
const DEMO_PUSH_ENDPOINT = 'http://127.0.0.1:9/demo-push';
const REVIEWER_USER: Record<string, (providerShort: string) => string> = {
  platform: () => 'admin',
  authority: () => 'reviewer',
  provider: (p) => `${p}.officer`,
};

/**
 * A published resource by name (the catalog demo's), or the first published one of another body.
 */
async function resourceNamed(
  tx: Tx,
  names: string[],
  notOfOrg?: string,
): Promise<PoolResource | undefined> {
  for (const name of names) {
    const { rows } = await tx.query(
      `SELECT id FROM resources WHERE name = $1 AND status = 'published' LIMIT 1`,
      [name],
    );
    if (rows[0]) return getPoolResource(tx, rows[0].id);
  }
  const { rows } = await tx.query(
    `SELECT id FROM resources WHERE status = 'published' AND ($1::uuid IS NULL OR provider_org_id <> $1) ORDER BY created_at LIMIT 1`,
    [notOfOrg ?? null],
  );
  return rows[0] ? getPoolResource(tx, rows[0].id) : undefined;
}

/**
 * Minimum scope for the demo: the identifier, then masked (personal) fields, then others, at most
 * `max`.
 */
function pickFields(resource: PoolResource, max = 8): string[] {
  const fields: CatalogField[] = resource.fields;
  const rank = (f: CatalogField) =>
    f.name === resource.identifierField
      ? 0
      : f.masking && f.masking !== 'none'
        ? 1
        : f.sensitivity === 'public'
          ? 2
          : 3;
  return [...fields]
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, max)
    .map((f) => f.name)
    .sort((a, b) => fields.findIndex((f) => f.name === a) - fields.findIndex((f) => f.name === b));
}

async function providerShort(tx: Tx, orgId: string): Promise<string> {
  const { rows } = await tx.query('SELECT short_code FROM organisations WHERE id = $1', [orgId]);
  return rows[0]?.short_code ?? '';
}

/** Walks a request through every review step its profile sets, each by the right demo reviewer. */
async function approveAll(tx: Tx, id: string, ctx: SharingContext, comment: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const req = await shareRepo.getRequest(tx, id);
    if (req?.status !== 'pending') return;
    const step = (await shareRepo.listSteps(tx, id)).find((s) => s.status === 'pending');
    if (!step) return;
    const reviewer = await actor(
      tx,
      REVIEWER_USER[step.reviewer](await providerShort(tx, req.provider_org_id)),
    );
    await decide(tx, reviewer, id, { decision: 'approve', comment }, ctx);
  }
}

const inDays = (today: string, days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Loads the sharing demo inside the demo seed's transaction; a no-op when the catalog demo has no
 * published resources.
 */
export async function seedSharingDemo(
  tx: Tx,
  profileId: ProfileId = 'lingang-2024',
  suite: CryptoSuite = 'standard',
): Promise<void> {
  const profile = getProfile(profileId);
  const calendar = await loadCalendar(tx);
  const today = chinaToday();
  const ctx: SharingContext = { profile, calendar, today };
  const swj = await actor(tx, 'swj.consumer');

  const market = await resourceNamed(tx, ['市场主体登记信息'], swj.orgId);
  if (!market) return;
  const legalBasis =
    '《中华人民共和国税收征收管理法》第六条、第十五条：税务机关依法办理税务登记，需要市场主体登记信息';
  const opened = async (
    who: Actor,
    resource: PoolResource,
    extra: {
      purpose: string;
      scenario: string;
      delivery: 'api' | 'export' | 'push';
      push?: { endpoint: string; schedule: 'daily' };
    },
  ) => {
    const id = await createRequest(
      tx,
      who,
      {
        resourceId: resource.id,
        fields: pickFields(resource),
        legalBasis,
        until: inDays(today, 365),
        ...extra,
      },
      ctx,
    );
    await approveAll(tx, id, ctx, '符合法定职责，按目录规定脱敏后共享');
    await acceptAgreement(tx, who, id);
    return (await shareRepo.getRequest(tx, id))!.channel_id!;
  };

  // 1. 税务局 reads and exports 市场主体登记信息, masked.
  const read = await opened(swj, market, {
    purpose: '核对纳税人登记信息，办理税务登记与变更',
    scenario: '新办纳税人“一照一码”税务登记',
    delivery: 'export',
  });

  // 2. A daily push to a local endpoint; nothing listens there, so the log shows failures and
  // retries.
  const rsj = await actor(tx, 'rsj.consumer');
  const pushed = (await resourceNamed(tx, ['企业登记信息', '市场主体登记信息'], rsj.orgId))!;
  await opened(rsj, pushed, {
    purpose: '社会保险登记信息比对',
    scenario: '新设企业社保开户提醒（每日批量）',
    delivery: 'push',
    push: { endpoint: DEMO_PUSH_ENDPOINT, schedule: 'daily' },
  });

  // 3. A channel nobody has used for 100 days: the first timer run freezes it (profiles with a
  // freeze period).
  const jtj = await actor(tx, 'jtj.consumer');
  const frozen = await opened(jtj, market, {
    purpose: '道路运输经营许可核查',
    scenario: '运输企业资质年审',
    delivery: 'api',
  });
  await tx.query(
    `UPDATE channels SET created_at = now() - interval '120 days', last_used_at = now() - interval '100 days' WHERE id = $1`,
    [frozen],
  );

  // 4. A request made 30 days ago that no reviewer answered: overdue once the timers run.
  const wjw = await actor(tx, 'wjw.consumer');
  const past = inDays(today, -30);
  const late = await createRequest(
    tx,
    wjw,
    {
      resourceId: market.id,
      fields: pickFields(market, 4),
      purpose: '医疗机构执业登记核验',
      scenario: '民营医疗机构设置审批',
      legalBasis: '《医疗机构管理条例》第九条',
      until: inDays(today, 180),
      delivery: 'api',
    },
    { ...ctx, today: past },
  );
  await tx.query(`UPDATE share_requests SET created_at = $2::date + time '09:30' WHERE id = $1`, [
    late,
    past,
  ]);

  // 5. A 税务局 read that asked for a field its channel does not grant: refused and reported [004
  // §17].
  const channel = (await shareRepo.getChannel(tx, read))!;
  const outside = market.fields.find((f) => !channel.fields.includes(f.name));
  if (outside)
    await recordOutOfScope(
      tx,
      suite,
      swj,
      channel,
      'field',
      { field: outside.name },
      { requestId: null, clientIp: '10.12.3.45' },
    );
}
