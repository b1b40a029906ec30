/** API 客户端: machine clients of an organisation; the key is shown once at creation; revoke. */
import { useEffect, useState } from 'react';
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useClients, useCreateClient, useMe, useRevokeClient } from '../../api/hooks';
import { ROLES, type ApiClient, type Role } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { LoadError } from '../../components/Results';
import { SecretDialog } from '../../components/SecretDialog';
import { errorText, showOnField } from '../../components/serverErrors';
import { useFormat } from '../../lib/format';

const STATUS_COLOR = { active: 'green', revoked: undefined, expired: 'orange' } as const;
const STATUS_KEY = {
  active: 'client.statusActive',
  revoked: 'client.statusRevoked',
  expired: 'client.statusExpired',
} as const;

interface Values {
  orgId: string;
  name: string;
  roles?: Role[];
  expiresAt?: Dayjs;
}

export function ClientsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const me = useMe();
  const canPickOrg = !!me.data?.permissions.includes('orgs.manage');
  const [filter, setFilter] = useState<{ org?: string; page: number; pageSize: number }>({
    page: 1,
    pageSize: 20,
  });
  const clients = useClients(filter);
  const create = useCreateClient();
  const revoke = useRevokeClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (creating) {
      form.resetFields();
      form.setFieldsValue({ orgId: me.data?.organisation.id });
    }
  }, [creating, form, me.data]);

  const submit = async (v: Values) => {
    try {
      const r = await create.mutateAsync({
        orgId: v.orgId,
        name: v.name.trim(),
        roles: v.roles?.length ? v.roles : undefined,
        expiresAt: v.expiresAt?.endOf('day').toISOString(),
      });
      setCreating(false);
      setCreated({ name: r.client.name, key: r.key });
    } catch (e) {
      if (!showOnField(form, e, ['name', 'roles', 'expiresAt'])) void message.error(errorText(e));
    }
  };
  if (clients.isError && !clients.data) return <LoadError error={clients.error} />;

  return (
    <>
      <div className="gs-page-head">
        <h1>{t('client.title')}</h1>
        <Space wrap>
          {canPickOrg && (
            <OrgSelect
              aria-label={t('client.org')}
              placeholder={`${t('client.org')}: ${t('common.all')}`}
              value={filter.org}
              onChange={(org) => setFilter({ ...filter, org, page: 1 })}
            />
          )}
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="client-create"
          >
            {t('client.create')}
          </Button>
        </Space>
      </div>
      <Table<ApiClient>
        rowKey="id"
        size="middle"
        loading={clients.isFetching}
        dataSource={clients.data?.items ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: clients.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: fmt.number(total) }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        columns={[
          { title: t('client.name'), dataIndex: 'name' },
          { title: t('client.org'), dataIndex: 'orgName' },
          {
            title: t('client.roles'),
            dataIndex: 'roles',
            render: (roles: Role[]) => roles.map((r) => <Tag key={r}>{t(`role.${r}`)}</Tag>),
          },
          {
            title: t('client.keyPrefix'),
            dataIndex: 'keyPrefix',
            render: (v: string) => <code>{v}…</code>,
          },
          {
            title: t('client.status'),
            dataIndex: 'status',
            render: (s: ApiClient['status']) => (
              <Tag color={STATUS_COLOR[s]} data-testid="client-status">
                {t(STATUS_KEY[s])}
              </Tag>
            ),
          },
          {
            title: t('client.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => fmt.dateTime(v),
          },
          {
            title: t('client.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? fmt.date(v) : t('client.never')),
          },
          {
            title: t('client.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => fmt.dateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 100,
            render: (_, c) =>
              c.status === 'active' && (
                <Popconfirm
                  title={t('client.revoke')}
                  description={t('client.revokeConfirm', { name: c.name })}
                  okText={t('client.revoke')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    revoke.mutateAsync(c.id).then(
                      () => void message.success(t('client.revoked')),
                      (e) => void message.error(errorText(e)),
                    )
                  }
                >
                  <Button
                    type="link"
                    danger
                    size="small"
                    aria-label={`${t('client.revoke')} ${c.name}`}
                  >
                    {t('client.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('client.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        confirmLoading={create.isPending}
        forceRender
      >
        <Form form={form} name="client" layout="vertical" onFinish={submit}>
          <Form.Item label={t('client.org')} name="orgId" rules={[{ required: true }]}>
            {canPickOrg ? (
              <OrgSelect allowClear={false} style={{ width: '100%' }} />
            ) : (
              <Select
                disabled
                options={[{ value: me.data?.organisation.id, label: me.data?.organisation.name }]}
              />
            )}
          </Form.Item>
          <Form.Item
            label={t('client.name')}
            name="name"
            rules={[{ required: true, whitespace: true, message: t('client.nameRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={`${t('client.roles')} (${t('common.optional')})`} name="roles">
            <Select
              mode="multiple"
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
          </Form.Item>
          <Form.Item label={`${t('client.expiresAt')} (${t('common.optional')})`} name="expiresAt">
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(new Date(), 'day')}
            />
          </Form.Item>
        </Form>
      </Modal>
      <SecretDialog
        open={!!created}
        title={`${t('client.keyTitle')} · ${created?.name ?? ''}`}
        note={t('client.keyNote')}
        secret={created?.key ?? ''}
        onClose={() => setCreated(null)}
      />
    </>
  );
}
