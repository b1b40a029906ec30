/**
 * One share request: what was asked, a timeline of its review steps (reviewer, deadline in working
 * days, overdue marks, decisions with their basis), the data-use agreement for the requester, and
 * approve/refuse for the reviewer whose turn it is.
 */
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Row,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  MinusCircleOutlined,
  SendOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/hooks';
import { useCatalogEntry, useShareRequest, type ShareRequest, type Step } from '../../api/sharing';
import type { Me } from '../../api/types';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { AgreementCard } from './Agreement';
import { DecisionModal } from './DecisionModal';
import { Deadline, RequestStatusTag } from './tags';

const REVIEWER_ROLES: Record<string, string[]> = {
  platform: ['platform_admin'],
  authority: ['reviewer'],
  provider: ['officer', 'cdo'],
};

/**
 * Mirrors the server's rule (sharing.policy mayDecide) to offer the buttons; the server decides.
 */
function mayDecide(me: Me | undefined, r: ShareRequest): boolean {
  if (!me || r.status !== 'pending' || !r.pendingReviewer) return false;
  const roles: string[] = me.user.roles;
  return (
    REVIEWER_ROLES[r.pendingReviewer].some((x) => roles.includes(x)) &&
    (r.pendingReviewer !== 'provider' || me.organisation.id === r.provider.id)
  );
}

const STEP_ICON: Record<string, { icon: ReactNode; color: string }> = {
  approved: { icon: <CheckCircleOutlined />, color: 'green' },
  refused: { icon: <CloseCircleOutlined />, color: 'red' },
  pending: { icon: <SyncOutlined spin />, color: 'blue' },
  waiting: { icon: <ClockCircleOutlined />, color: 'gray' },
  skipped: { icon: <MinusCircleOutlined />, color: 'gray' },
};

export function RequestDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const me = useMe();
  const request = useShareRequest(id);
  const entry = useCatalogEntry(request.data?.resource.id);
  const [deciding, setDeciding] = useState<'approve' | 'refuse' | null>(null);
  if (request.isPending) return <Skeleton active />;
  if (request.isError) return <LoadError error={request.error} />;
  const r = request.data;
  const labels = new Map((entry.data?.fields ?? []).map((f) => [f.name, f.label]));
  const isRequester =
    me.data?.organisation.id === r.requester.orgId &&
    !!me.data?.permissions.includes('share.request');
  const canDecide = mayDecide(me.data, r);

  return (
    <>
      <div className="gs-page-head">
        <Space orientation="vertical" size={0}>
          <Typography.Text type="secondary">{t('sharing.detail.title')}</Typography.Text>
          <h1 data-testid="request-title">{r.resource.name}</h1>
        </Space>
        <Space wrap>
          <RequestStatusTag request={r} />
          {canDecide && (
            <>
              <Button
                type="primary"
                onClick={() => setDeciding('approve')}
                data-testid="request-approve"
              >
                {t('sharing.review.approve')}
              </Button>
              <Button danger onClick={() => setDeciding('refuse')} data-testid="request-refuse">
                {t('sharing.review.refuse')}
              </Button>
            </>
          )}
        </Space>
      </div>
      {r.overdue && r.status === 'pending' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('sharing.detail.overdueAlert')}
          data-testid="request-overdue"
        />
      )}
      {r.channelId ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('sharing.detail.channelOpen')}
          data-testid="channel-open"
          action={
            <Link to={`/sharing/channels/${r.channelId}`}>
              <Button type="primary" size="small" data-testid="go-channel">
                {t('sharing.detail.openChannel')}
              </Button>
            </Link>
          }
        />
      ) : (
        r.status !== 'refused' &&
        r.status !== 'withdrawn' && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('sharing.detail.channelPending')}
          />
        )
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <RequestFacts request={r} labels={labels} />
            {(isRequester || r.agreementAccepted) && (
              <AgreementCard request={r} canAccept={isRequester} />
            )}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('sharing.detail.steps')}>
            <StepsTimeline request={r} />
          </Card>
        </Col>
      </Row>
      <DecisionModal
        request={r}
        open={!!deciding}
        initial={deciding ?? 'approve'}
        onClose={() => setDeciding(null)}
      />
    </>
  );
}

function RequestFacts({
  request: r,
  labels,
}: {
  request: ShareRequest;
  labels: Map<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const day = (d: string | null) => (d ? fmt.date(`${d}T00:00:00`) : '—');
  const kind = t(`sharing.kind.${r.shareKind}`, { defaultValue: r.shareKind });
  return (
    <Card>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        data-testid="request-facts"
        items={[
          {
            key: 'res',
            label: t('sharing.list.resource'),
            children: (
              <>
                {r.resource.name}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {r.resource.code}
                </Typography.Text>
              </>
            ),
          },
          { key: 'prov', label: t('sharing.list.provider'), children: r.provider.name },
          {
            key: 'req',
            label: t('sharing.list.requester'),
            children: `${r.requester.orgName} · ${r.requester.userName}`,
          },
          { key: 'type', label: t('sharing.detail.shareType'), children: kind },
          {
            key: 'fields',
            label: t('sharing.detail.fields'),
            span: 2,
            children: (
              <Space size={[4, 4]} wrap>
                {r.fields.map((f) => (
                  <Tag key={f}>{labels.get(f) ?? f}</Tag>
                ))}
              </Space>
            ),
          },
          ...(r.rowFilter
            ? [
                {
                  key: 'rows',
                  label: t('sharing.detail.rowFilter'),
                  span: 2,
                  children: Object.entries(r.rowFilter)
                    .map(
                      ([k, v]) =>
                        `${labels.get(k) ?? k} ∈ ${v.join(i18n.language === 'en-US' ? ', ' : '、')}`,
                    )
                    .join('; '),
                },
              ]
            : []),
          { key: 'purpose', label: t('sharing.detail.purpose'), span: 2, children: r.purpose },
          { key: 'scenario', label: t('sharing.detail.scenario'), span: 2, children: r.scenario },
          {
            key: 'basis',
            label: t('sharing.detail.legalBasis'),
            span: 2,
            children: r.legalBasis ?? '—',
          },
          {
            key: 'delivery',
            label: t('sharing.detail.delivery'),
            children: t(`sharing.delivery.${r.delivery}`, { defaultValue: r.delivery }),
          },
          { key: 'until', label: t('sharing.detail.until'), children: day(r.until) },
          { key: 'answer', label: t('sharing.detail.answerDue'), children: day(r.answerDue) },
          ...(r.deliverDue
            ? [
                {
                  key: 'deliver',
                  label: t('sharing.detail.deliverDue'),
                  children: day(r.deliverDue),
                },
              ]
            : []),
          {
            key: 'created',
            label: t('sharing.detail.createdAt'),
            children: fmt.dateTime(r.createdAt),
          },
        ]}
      />
    </Card>
  );
}

function StepsTimeline({ request: r }: { request: ShareRequest }) {
  const { t, i18n } = useTranslation();
  const colon = i18n.language === 'en-US' ? ': ' : '：';
  const fmt = useFormat();
  const steps = r.steps ?? [];
  const who = (s: Step) => t(`sharing.reviewer.${s.reviewer}`, { defaultValue: s.reviewer });
  const items = [
    {
      key: 'submitted',
      color: 'blue',
      icon: <SendOutlined />,
      title: fmt.dateTime(r.createdAt),
      content: t('sharing.detail.submitted', {
        org: r.requester.orgName,
        user: r.requester.userName,
      }),
    },
    ...steps.map((s) => ({
      key: `step-${s.position}`,
      color: s.overdue ? 'red' : (STEP_ICON[s.status]?.color ?? 'gray'),
      icon: STEP_ICON[s.status]?.icon,
      title: s.decidedAt ? fmt.dateTime(s.decidedAt) : undefined,
      content: (
        <div data-testid="request-step" data-reviewer={s.reviewer} data-status={s.status}>
          <Space size={6} wrap>
            <Typography.Text strong>{who(s)}</Typography.Text>
            <Tag
              color={
                s.status === 'approved'
                  ? 'green'
                  : s.status === 'refused'
                    ? 'red'
                    : s.status === 'pending'
                      ? 'processing'
                      : 'default'
              }
            >
              {t(`sharing.stepStatus.${s.status}`, { defaultValue: s.status })}
            </Tag>
          </Space>
          {(s.status === 'pending' || s.status === 'waiting') && s.due && (
            <div>
              <Deadline step={s} />
            </div>
          )}
          {s.decidedBy && (
            <div>
              <Typography.Text type="secondary">
                {t('sharing.detail.decided', { name: s.decidedBy, at: fmt.dateTime(s.decidedAt) })}
              </Typography.Text>
            </div>
          )}
          {s.basis && (
            <div>
              <Typography.Text type="secondary">
                {t('sharing.detail.basis')}
                {colon}
              </Typography.Text>
              {s.basis}
            </div>
          )}
          {s.comment && (
            <div>
              <Typography.Text type="secondary">
                {t('sharing.detail.comment')}
                {colon}
              </Typography.Text>
              {s.comment}
            </div>
          )}
        </div>
      ),
    })),
    ...(r.channelId
      ? [
          {
            key: 'channel',
            color: 'green',
            icon: <CheckCircleOutlined />,
            title: undefined,
            content: t('sharing.detail.channelOpen'),
          },
        ]
      : []),
  ];
  return <Timeline items={items} data-testid="request-timeline" />;
}
