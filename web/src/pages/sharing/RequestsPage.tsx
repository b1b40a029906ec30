/**
 * 我的申请 (`role=mine`) and 共享审核 (`role=to-review`): server-paged lists of share requests with
 * status, whose turn it is and the deadline in working days. The platform's overseers also find
 * every pending request past its deadline there (`?overdue=1`, the home page's link), whoever's
 * step it waits at.
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Form, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { ExclamationCircleOutlined, FileAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/hooks';
import {
  useShareRequests,
  type RequestFilter,
  type RequestStatus,
  type ShareRequest,
} from '../../api/sharing';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { RequestStatusTag } from './tags';

const STATUSES: RequestStatus[] = ['pending', 'approved', 'refused', 'withdrawn'];

export function MyRequestsPage() {
  return <RequestList view="mine" />;
}
export function ReviewQueuePage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const overseer = !!me.data?.user.roles.some((r) => r === 'reviewer' || r === 'platform_admin');
  const overdue = overseer && params.get('overdue') === '1';
  const views = overseer && (
    <Segmented
      data-testid="review-view"
      value={overdue ? 'overdue' : 'mine'}
      onChange={(v) => setParams(v === 'overdue' ? { overdue: '1' } : {})}
      options={[
        { value: 'mine', label: t('sharing.list.reviewMine') },
        { value: 'overdue', label: t('sharing.list.overdueAll') },
      ]}
    />
  );
  // keyed, so each view starts on its first page
  return (
    <RequestList
      key={overdue ? 'overdue' : 'mine'}
      view={overdue ? 'all' : 'to-review'}
      overdue={overdue}
      views={views}
    />
  );
}

function RequestList({
  view,
  overdue = false,
  views,
}: {
  view: 'mine' | 'to-review' | 'all';
  overdue?: boolean;
  views?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const [filter, setFilter] = useState<RequestFilter>({
    role: view,
    status: view === 'mine' ? undefined : 'pending',
    overdue: overdue || undefined,
    page: 1,
    pageSize: 20,
  });
  const list = useShareRequests(filter);
  const base = view === 'mine' ? '/sharing/requests' : '/sharing/review';
  const canRequest = !!me.data?.permissions.includes('share.request');
  if (list.isError && !list.data) return <LoadError error={list.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{view === 'mine' ? t('sharing.list.mineTitle') : t('sharing.list.reviewTitle')}</h1>
        {view === 'mine' && canRequest && (
          <Link to="/sharing/new">
            <Button type="primary" icon={<FileAddOutlined />}>
              {t('sharing.list.newRequest')}
            </Button>
          </Link>
        )}
      </div>
      {views && <div style={{ marginBottom: 16 }}>{views}</div>}
      {view === 'mine' && (
        <Form layout="inline" name="request-filter" style={{ marginBottom: 16 }}>
          <Form.Item label={t('sharing.list.status')} htmlFor="request-status-filter">
            <Select
              id="request-status-filter"
              allowClear
              placeholder={t('common.all')}
              style={{ width: 160 }}
              value={filter.status}
              onChange={(status?: RequestStatus) => setFilter({ ...filter, status, page: 1 })}
              options={STATUSES.map((s) => ({ value: s, label: t(`sharing.requestStatus.${s}`) }))}
            />
          </Form.Item>
        </Form>
      )}
      <Table<ShareRequest>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText:
            view === 'mine'
              ? t('sharing.list.empty')
              : overdue
                ? t('sharing.list.overdueEmpty')
                : t('sharing.list.reviewEmpty'),
        }}
        scroll={{ x: 1000 }}
        data-testid={
          view === 'mine' ? 'my-requests' : overdue ? 'overdue-requests' : 'review-queue'
        }
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
            title: t('sharing.list.resource'),
            key: 'resource',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Link to={`${base}/${r.id}`}>{r.resource.name}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.resource.code}
                </Typography.Text>
              </Space>
            ),
          },
          view === 'mine'
            ? {
                title: t('sharing.list.provider'),
                key: 'provider',
                render: (_, r) => r.provider.name,
              }
            : {
                title: t('sharing.list.requester'),
                key: 'requester',
                render: (_, r) => (
                  <>
                    {r.requester.orgName}
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.requester.userName}
                    </Typography.Text>
                  </>
                ),
              },
          {
            title: t('sharing.list.fields'),
            key: 'fields',
            width: 80,
            render: (_, r) => fmt.number(r.fields.length),
          },
          {
            title: t('sharing.list.delivery'),
            dataIndex: 'delivery',
            width: 120,
            render: (d: string) => t(`sharing.delivery.${d}`, { defaultValue: d }),
          },
          {
            title: t('sharing.list.status'),
            key: 'status',
            width: 220,
            render: (_, r) => (
              <Space size={4} wrap>
                <RequestStatusTag request={r} />
                {r.status === 'pending' && r.pendingReviewer && (
                  <Tag>
                    {t('sharing.list.pendingWith', {
                      who: t(`sharing.reviewer.${r.pendingReviewer}`),
                    })}
                  </Tag>
                )}
                {r.status === 'approved' &&
                  (r.channelId ? (
                    <Tag color="green">{t('sharing.list.channelOpen')}</Tag>
                  ) : (
                    !r.agreementAccepted && (
                      <Tag color="gold">{t('sharing.list.agreementMissing')}</Tag>
                    )
                  ))}
              </Space>
            ),
          },
          {
            title: t('sharing.list.answerDue'),
            dataIndex: 'answerDue',
            width: 130,
            render: (d: string | null, r) =>
              d ? (
                <Typography.Text type={r.overdue && r.status === 'pending' ? 'danger' : undefined}>
                  {r.overdue && r.status === 'pending' && <ExclamationCircleOutlined aria-hidden />}{' '}
                  {fmt.date(`${d}T00:00:00`)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('sharing.list.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => fmt.dateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 90,
            render: (_, r) => (
              <Link
                to={`${base}/${r.id}`}
                aria-label={`${view === 'mine' ? t('sharing.list.open') : t('sharing.list.review')} ${r.resource.name}`}
              >
                {view === 'mine' ? t('sharing.list.open') : t('sharing.list.review')}
              </Link>
            ),
          },
        ]}
      />
    </>
  );
}
