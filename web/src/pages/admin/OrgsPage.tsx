/** 组织机构: the organisation tree with create, add-child and edit. */
import { useMemo, useState } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useOrgs } from '../../api/hooks';
import { buildOrgTree, type OrgNode } from '../../components/orgTree';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { OrgFormModal, type OrgFormTarget } from './OrgFormModal';

export function OrgsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const orgs = useOrgs();
  const [target, setTarget] = useState<OrgFormTarget | null>(null);
  const tree = useMemo(() => buildOrgTree(orgs.data ?? []), [orgs.data]);
  if (orgs.isError) return <LoadError error={orgs.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{t('org.title')}</h1>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setTarget({ parentId: null })}
          data-testid="org-create"
        >
          {t('org.create')}
        </Button>
      </div>
      <Table<OrgNode>
        rowKey="id"
        size="middle"
        loading={orgs.isPending}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        key={orgs.data ? 'loaded' : 'loading'}
        columns={[
          {
            title: t('org.name'),
            dataIndex: 'name',
            render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
          },
          {
            title: t('org.code'),
            dataIndex: 'code',
            render: (c: string) => <span className="gs-secret">{c}</span>,
          },
          {
            title: t('org.type'),
            dataIndex: 'type',
            render: (v: string) => <Tag>{t(`orgType.${v}`)}</Tag>,
          },
          { title: t('org.level'), dataIndex: 'level', render: (v: string | null) => v ?? '—' },
          {
            title: t('org.shortCode'),
            dataIndex: 'shortCode',
            render: (v: string | null) => v ?? '—',
          },
          { title: t('org.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmt.date(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 180,
            render: (_, org) => (
              <Space size="small">
                <Button
                  type="link"
                  size="small"
                  onClick={() => setTarget({ org })}
                  aria-label={`${t('common.edit')} ${org.name}`}
                >
                  {t('common.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setTarget({ parentId: org.id })}
                  aria-label={`${t('org.createChild')} ${org.name}`}
                >
                  {t('org.createChild')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <OrgFormModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}
