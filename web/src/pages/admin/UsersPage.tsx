/**
 * 用户: server-paged list with search, organisation and role filters; create, edit, enable, reset
 * password.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe, useUsers, type UserFilter } from '../../api/hooks';
import { ROLES, type User } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { EnabledSwitch, ResetPasswordButton } from './UserActions';
import { UserFormModal, type UserFormTarget } from './UserFormModal';

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const [filter, setFilter] = useState<UserFilter>({ page: 1, pageSize: 20 });
  const [target, setTarget] = useState<UserFormTarget | null>(null);
  const users = useUsers(filter);
  const canPickOrg = !!me.data?.permissions.includes('orgs.manage');
  if (users.isError && !users.data) return <LoadError error={users.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{t('user.title')}</h1>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setTarget({ mode: 'create' })}
          data-testid="user-create"
        >
          {t('user.create')}
        </Button>
      </div>
      <Form
        layout="inline"
        name="user-filter"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { q?: string; org?: string; role?: string }) =>
          setFilter({ ...filter, ...v, page: 1 })
        }
      >
        <Form.Item label={t('common.search')} name="q">
          <Input allowClear placeholder={t('user.searchPlaceholder')} style={{ width: 200 }} />
        </Form.Item>
        {canPickOrg && (
          <Form.Item label={t('user.org')} name="org">
            <OrgSelect placeholder={t('common.all')} />
          </Form.Item>
        )}
        <Form.Item label={t('user.roles')} name="role">
          <Select
            allowClear
            placeholder={t('common.all')}
            style={{ width: 160 }}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" type="primary" ghost>
            {t('common.search')}
          </Button>
        </Form.Item>
      </Form>
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.isFetching}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: fmt.number(total) }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        columns={[
          {
            title: t('user.username'),
            dataIndex: 'username',
            render: (v: string, u) => <Link to={`/admin/users/${u.id}`}>{v}</Link>,
          },
          { title: t('user.displayName'), dataIndex: 'displayName' },
          { title: t('user.org'), dataIndex: 'orgName' },
          {
            title: t('user.roles'),
            dataIndex: 'roles',
            render: (roles: User['roles']) => roles.map((r) => <Tag key={r}>{t(`role.${r}`)}</Tag>),
          },
          {
            title: t('user.status'),
            key: 'status',
            render: (_, u) => (
              <Space>
                <EnabledSwitch user={u} />
                {u.locked && <Tag color="red">{t('user.locked')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('user.lastLoginAt'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => fmt.dateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 180,
            render: (_, u) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setTarget({ mode: 'edit', user: u })}
                  aria-label={`${t('common.edit')} ${u.username}`}
                >
                  {t('common.edit')}
                </Button>
                <ResetPasswordButton user={u} />
              </Space>
            ),
          },
        ]}
      />
      <UserFormModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}
