/**
 * 越权访问报告: reads refused for asking outside a channel's scope, newest first, for the authority [004
 * §17].
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOverScope, type Violation } from '../../api/sharing';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';

function detailText(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '—';
  return (
    Object.entries(detail as Record<string, unknown>)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ') || '—'
  );
}

export function OverScopePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = useOverScope(page.page, page.pageSize);
  if (list.isError && !list.data) return <LoadError error={list.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{t('sharing.overScope.title')}</h1>
      </div>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('sharing.overScope.intro')}
      />
      <Table<Violation>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('sharing.overScope.empty') }}
        scroll={{ x: 1000 }}
        data-testid="over-scope"
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: fmt.number(total) }),
          onChange: (p, pageSize) => setPage({ page: p, pageSize }),
        }}
        columns={[
          {
            title: t('sharing.overScope.at'),
            dataIndex: 'at',
            width: 170,
            render: (v: string) => fmt.dateTime(v),
          },
          { title: t('sharing.overScope.org'), dataIndex: 'orgName' },
          {
            title: t('sharing.overScope.actor'),
            dataIndex: 'actorName',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('sharing.overScope.resource'),
            key: 'res',
            render: (_, v) => <Link to={`/sharing/channels/${v.channelId}`}>{v.resourceName}</Link>,
          },
          {
            title: t('sharing.overScope.kind'),
            dataIndex: 'kind',
            width: 200,
            render: (k: string) => (
              <Tag color="red">{t(`sharing.overScope.kinds.${k}`, { defaultValue: k })}</Tag>
            ),
          },
          {
            title: t('sharing.overScope.detail'),
            dataIndex: 'detail',
            render: (d: unknown) => <Typography.Text code>{detailText(d)}</Typography.Text>,
          },
        ]}
      />
    </>
  );
}
