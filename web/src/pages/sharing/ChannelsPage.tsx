/** 共享通道: the channels my body reads or provides (all, for the platform's overseers), by status. */
import { useState } from 'react';
import { Link } from 'react-router';
import { Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChannels, type Channel, type ChannelStatus } from '../../api/sharing';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { ChannelStatusTag, useReason } from './tags';

const STATUSES: ChannelStatus[] = ['active', 'suspended', 'frozen', 'expired', 'revoked'];

export function ChannelsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const reason = useReason();
  const [filter, setFilter] = useState<{ status?: ChannelStatus; page: number; pageSize: number }>({
    page: 1,
    pageSize: 20,
  });
  const list = useChannels(filter);
  if (list.isError && !list.data) return <LoadError error={list.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{t('sharing.channel.title')}</h1>
      </div>
      <Form layout="inline" name="channel-filter" style={{ marginBottom: 16 }}>
        <Form.Item label={t('sharing.channel.filterStatus')} htmlFor="channel-status-filter">
          <Select
            id="channel-status-filter"
            allowClear
            placeholder={t('common.all')}
            style={{ width: 160 }}
            value={filter.status}
            onChange={(status?: ChannelStatus) => setFilter({ ...filter, status, page: 1 })}
            options={STATUSES.map((s) => ({ value: s, label: t(`sharing.channelStatus.${s}`) }))}
          />
        </Form.Item>
      </Form>
      <Table<Channel>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('sharing.channel.empty') }}
        scroll={{ x: 1100 }}
        data-testid="channels"
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: fmt.number(total) }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        columns={[
          {
            title: t('sharing.channel.resource'),
            key: 'resource',
            render: (_, c) => <Link to={`/sharing/channels/${c.id}`}>{c.resource.name}</Link>,
          },
          {
            title: t('sharing.channel.consumer'),
            key: 'consumer',
            render: (_, c) => c.consumer.name,
          },
          {
            title: t('sharing.channel.provider'),
            key: 'provider',
            render: (_, c) => c.provider.name,
          },
          {
            title: t('sharing.channel.delivery'),
            key: 'delivery',
            width: 170,
            render: (_, c) => (
              <Space size={4} wrap>
                {t(`sharing.delivery.${c.delivery}`, { defaultValue: c.delivery })}
                {c.push && (
                  <Tag color="cyan">
                    {t(`sharing.schedule.${c.push.schedule}`, { defaultValue: c.push.schedule })}
                  </Tag>
                )}
                {c.verifyOnly && <Tag>{t('sharing.channel.verifyOnly')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('sharing.channel.status'),
            dataIndex: 'status',
            width: 110,
            render: (s: ChannelStatus, c) => (
              <span title={reason(c.statusReason) ?? undefined}>
                <ChannelStatusTag status={s} />
              </span>
            ),
          },
          {
            title: t('sharing.channel.scope'),
            key: 'fields',
            width: 90,
            render: (_, c) => <Typography.Text>{fmt.number(c.fields.length)}</Typography.Text>,
          },
          {
            title: t('sharing.channel.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            width: 170,
            render: (v: string | null) => fmt.dateTime(v),
          },
          {
            title: t('sharing.channel.expiresAt'),
            dataIndex: 'expiresAt',
            width: 130,
            render: (v: string) => fmt.date(v),
          },
        ]}
      />
    </>
  );
}
