/**
 * One channel: scope and masking per field, status with its actions for managers, usage per day,
 * the push schedule and its delivery log, and — for the consumer — the masked preview, exports and
 * verification.
 */
import { Link, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/hooks';
import {
  useCatalogEntry,
  useChannel,
  useChannelUsage,
  useProfile,
  type Channel,
  type PushDelivery,
} from '../../api/sharing';
import type { Me } from '../../api/types';
import { LoadError } from '../../components/Results';
import { errorText } from '../../components/serverErrors';
import { useFormat } from '../../lib/format';
import { ChannelActions } from './ChannelActions';
import { ChannelPreview, VerifyForm } from './ChannelData';
import { UsageChart } from './UsageChart';
import { ChannelStatusTag, MaskTag, SensitivityTag, useReason } from './tags';

/** Mirrors sharing.policy mayManageChannel to offer the buttons; the server decides. */
function mayManage(me: Me | undefined, c: Channel): boolean {
  if (!me?.permissions.includes('share.manage')) return false;
  const roles: string[] = me.user.roles;
  return (
    roles.includes('platform_admin') ||
    roles.includes('reviewer') ||
    ((roles.includes('officer') || roles.includes('cdo')) && me.organisation.id === c.provider.id)
  );
}

export function ChannelDetailPage() {
  const { t, i18n } = useTranslation();
  const reason = useReason();
  const { id } = useParams();
  const me = useMe();
  const channel = useChannel(id);
  const entry = useCatalogEntry(channel.data?.resource.id);
  const profile = useProfile();
  if (channel.isPending) return <Skeleton active />;
  if (channel.isError) return <LoadError error={channel.error} />;
  const c = channel.data;
  const fields = new Map((entry.data?.fields ?? []).map((f) => [f.name, f]));
  const labels = new Map([...fields].map(([n, f]) => [n, f.label]));
  const isConsumer =
    me.data?.organisation.id === c.consumer.id && !!me.data?.permissions.includes('share.read');
  const active = c.status === 'active';

  return (
    <>
      <div className="gs-page-head">
        <Space orientation="vertical" size={0}>
          <Typography.Text type="secondary">{t('sharing.channel.detailTitle')}</Typography.Text>
          <h1 data-testid="channel-title">{c.resource.name}</h1>
        </Space>
        <Space wrap>
          <ChannelStatusTag status={c.status} />
          {mayManage(me.data, c) && <ChannelActions channel={c} />}
        </Space>
      </div>
      {c.status === 'frozen' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="channel-frozen"
          title={t('sharing.channel.frozenNote', {
            days: profile.data?.channelFreezeDays ?? 90,
            citation: '[004 §17]',
          })}
          action={
            isConsumer ? (
              <Link to={`/sharing/new?resource=${c.resource.id}`}>
                <Button size="small">{t('sharing.channel.newRequest')}</Button>
              </Link>
            ) : undefined
          }
        />
      )}
      {!active && c.status !== 'frozen' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('sharing.channel.notActive', { status: t(`sharing.channelStatus.${c.status}`) })}
          description={reason(c.statusReason) ?? undefined}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Facts channel={c} me={me.data} />
            <Card title={t('sharing.channel.scope')}>
              <Table
                size="small"
                rowKey="name"
                pagination={false}
                data-testid="channel-scope"
                dataSource={c.fields.map((name) => ({ name, field: fields.get(name) }))}
                columns={[
                  {
                    title: t('sharing.channel.field'),
                    key: 'f',
                    render: (_, r) => (
                      <>
                        {r.field?.label ?? r.name}{' '}
                        <Typography.Text type="secondary" code>
                          {r.name}
                        </Typography.Text>
                      </>
                    ),
                  },
                  {
                    title: t('sharing.form.sensitivity'),
                    key: 's',
                    width: 110,
                    render: (_, r) =>
                      r.field ? <SensitivityTag value={r.field.sensitivity} /> : '—',
                  },
                  {
                    title: t('sharing.channel.masking'),
                    key: 'm',
                    width: 110,
                    render: (_, r) => <MaskTag rule={c.masking[r.name]} />,
                  },
                ]}
              />
              <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
                <Typography.Text type="secondary">
                  {t('sharing.channel.rowFilter')}
                  {i18n.language === 'en-US' ? ': ' : '：'}
                </Typography.Text>
                {c.rowFilter
                  ? Object.entries(c.rowFilter)
                      .map(([k, v]) => `${labels.get(k) ?? k} ∈ ${v.join('、')}`)
                      .join('；')
                  : t('sharing.channel.allRows')}
              </Typography.Paragraph>
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Usage channel={c} />
            {isConsumer && active && !c.verifyOnly && (
              <ChannelPreview channel={c} labels={labels} />
            )}
            {isConsumer && active && c.verifyOnly && <VerifyForm channel={c} labels={labels} />}
            {!isConsumer && (
              <Alert type="info" showIcon title={t('sharing.channel.previewOnlyConsumer')} />
            )}
          </Space>
        </Col>
      </Row>
    </>
  );
}

/**
 * The server's machine reasons ("unused for 90 days", "expired") in the user's language; people's
 * own reasons as written.
 */
function Facts({ channel: c, me }: { channel: Channel; me: Me | undefined }) {
  const { t } = useTranslation();
  const reason = useReason();
  const fmt = useFormat();
  const requestPath =
    me?.organisation.id === c.consumer.id && me.permissions.includes('share.request')
      ? `/sharing/requests/${c.requestId}`
      : me?.permissions.includes('share.review')
        ? `/sharing/review/${c.requestId}`
        : null;
  return (
    <Card>
      <Descriptions
        size="small"
        column={1}
        data-testid="channel-facts"
        items={[
          { key: 'consumer', label: t('sharing.channel.consumer'), children: c.consumer.name },
          { key: 'provider', label: t('sharing.channel.provider'), children: c.provider.name },
          {
            key: 'delivery',
            label: t('sharing.channel.delivery'),
            children: (
              <>
                {t(`sharing.delivery.${c.delivery}`, { defaultValue: c.delivery })}
                {c.verifyOnly && (
                  <Tag style={{ marginInlineStart: 8 }}>{t('sharing.channel.verifyOnly')}</Tag>
                )}
              </>
            ),
          },
          ...(c.statusReason
            ? [
                {
                  key: 'reason',
                  label: t('sharing.channel.statusReason'),
                  children: reason(c.statusReason),
                },
              ]
            : []),
          {
            key: 'created',
            label: t('sharing.channel.createdAt'),
            children: fmt.dateTime(c.createdAt),
          },
          {
            key: 'expires',
            label: t('sharing.channel.expiresAt'),
            children: fmt.date(c.expiresAt),
          },
          {
            key: 'used',
            label: t('sharing.channel.lastUsedAt'),
            children: fmt.dateTime(c.lastUsedAt),
          },
          ...(requestPath
            ? [
                {
                  key: 'req',
                  label: t('sharing.channel.fromRequest'),
                  children: <Link to={requestPath}>{t('common.details')}</Link>,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function Usage({ channel: c }: { channel: Channel }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const usage = useChannelUsage(c.id);
  return (
    <>
      <Card title={t('sharing.channel.usage')}>
        {usage.isPending ? (
          <Skeleton active />
        ) : usage.isError ? (
          <Alert type="error" title={errorText(usage.error)} />
        ) : usage.data.days.length ? (
          <UsageChart days={usage.data.days} />
        ) : (
          <Empty description={t('sharing.channel.noUsage')} />
        )}
      </Card>
      {c.push && (
        <Card title={t('sharing.channel.push')} data-testid="channel-push">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'e',
                label: t('sharing.channel.pushEndpoint'),
                span: 2,
                children: (
                  <Typography.Text code copyable>
                    {c.push.endpoint}
                  </Typography.Text>
                ),
              },
              {
                key: 's',
                label: t('sharing.channel.pushSchedule'),
                children: t(`sharing.schedule.${c.push.schedule}`, {
                  defaultValue: c.push.schedule,
                }),
              },
              {
                key: 'n',
                label: t('sharing.channel.pushNext'),
                children: fmt.dateTime(c.push.nextAt),
              },
              {
                key: 'c',
                label: t('sharing.channel.pushCursor'),
                children: fmt.number(c.push.cursor),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('sharing.channel.pushNote')}
          </Typography.Paragraph>
          <Typography.Title level={3} style={{ fontSize: 14 }}>
            {t('sharing.channel.deliveries')}
          </Typography.Title>
          <Table<PushDelivery>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            data-testid="push-deliveries"
            dataSource={usage.data?.deliveries ?? []}
            locale={{ emptyText: t('sharing.channel.noDeliveries') }}
            scroll={{ x: 720 }}
            columns={[
              {
                title: t('sharing.channel.deliveryAt'),
                dataIndex: 'at',
                width: 160,
                render: (v: string) => fmt.dateTime(v),
              },
              { title: t('sharing.channel.attempt'), dataIndex: 'attempt', width: 70 },
              {
                title: t('sharing.channel.deliveryStatus'),
                dataIndex: 'status',
                width: 90,
                render: (s: string) => (
                  <Tag color={s === 'delivered' ? 'green' : 'red'}>
                    {t(`sharing.channel.${s === 'delivered' ? 'delivered' : 'failed'}`)}
                  </Tag>
                ),
              },
              {
                title: t('sharing.channel.rows'),
                dataIndex: 'rows',
                width: 80,
                render: (n: number) => fmt.number(n),
              },
              {
                title: t('sharing.channel.httpStatus'),
                dataIndex: 'http_status',
                width: 90,
                render: (v: number | null) => v ?? '—',
              },
              {
                title: t('sharing.channel.error'),
                dataIndex: 'error',
                width: 200,
                render: (v: string | null) => (
                  <span style={{ wordBreak: 'break-word' }}>{v ?? '—'}</span>
                ),
              },
            ]}
          />
        </Card>
      )}
    </>
  );
}
