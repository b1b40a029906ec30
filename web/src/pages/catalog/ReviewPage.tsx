/**
 * The approval queue: submitted entries for the authority, approved ones for the platform admin to
 * publish.
 */
import { Link } from 'react-router';
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format';
import { useSearch, type Summary } from './api';
import { StatusTag } from './tags';

function Queue({ status }: { status: 'submitted' | 'approved' }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useSearch({ status, page: 1, pageSize: 200 });
  return (
    <Card
      title={`${t(`catalog.review.${status}`)}（${list.data?.total ?? 0}）`}
      size="small"
      style={{ marginBottom: 16 }}
    >
      <Table<Summary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid={`queue-${status}`}
        locale={{ emptyText: t('catalog.review.empty') }}
        columns={[
          {
            title: t('catalog.col.name'),
            key: 'n',
            render: (_, r) => <Link to={`/catalog/${r.id}`}>{r.name}</Link>,
          },
          { title: t('catalog.col.code'), dataIndex: 'code', width: 200 },
          { title: t('catalog.col.provider'), dataIndex: 'providerName', width: 180 },
          {
            title: t('catalog.col.version'),
            dataIndex: 'version',
            width: 70,
            render: (v: number) => `v${v}`,
          },
          {
            title: t('catalog.col.status'),
            dataIndex: 'status',
            width: 90,
            render: (s) => <StatusTag status={s} />,
          },
          {
            title: t('catalog.col.updated'),
            dataIndex: 'updatedAt',
            width: 170,
            render: (d: string) => fmt.dateTime(d),
          },
        ]}
      />
    </Card>
  );
}

export function ReviewPage() {
  const { t } = useTranslation();
  return (
    <>
      <div className="gs-page-head">
        <h1>{t('catalog.review.title')}</h1>
      </div>
      <Queue status="submitted" />
      <Queue status="approved" />
    </>
  );
}
