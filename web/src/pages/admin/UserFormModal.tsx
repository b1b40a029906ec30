/**
 * Create a user, or edit name, contact, roles and enabled; the server scopes officers to their own
 * organisation.
 */
import { useEffect } from 'react';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateUser, useMe, usePatchUser } from '../../api/hooks';
import { ROLES, type Role, type User } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { errorText, showOnField } from '../../components/serverErrors';

interface Values {
  orgId: string;
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  email?: string;
  phone?: string;
  enabled: boolean;
}

export type UserFormTarget = { mode: 'create' } | { mode: 'edit'; user: User };

export function UserFormModal({
  target,
  onClose,
}: {
  target: UserFormTarget | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const create = useCreateUser();
  const patch = usePatchUser();
  const canPickOrg = !!me.data?.permissions.includes('orgs.manage');
  const editing = target?.mode === 'edit' ? target.user : undefined;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (editing) {
      form.setFieldsValue({
        displayName: editing.displayName,
        email: editing.email ?? '',
        phone: editing.phone ?? '',
        roles: editing.roles,
        enabled: editing.enabled,
      });
    } else {
      form.setFieldsValue({ orgId: me.data?.organisation.id, roles: ['consumer'], enabled: true });
    }
  }, [target, editing, form, me.data]);

  const submit = async (v: Values) => {
    const email = v.email?.trim() || undefined;
    const phone = v.phone?.trim() || undefined;
    try {
      if (editing) {
        await patch.mutateAsync({
          id: editing.id,
          patch: {
            displayName: v.displayName.trim(),
            email: email ?? null,
            phone: phone ?? null,
            roles: v.roles,
            enabled: v.enabled,
          },
        });
        void message.success(t('user.updated'));
      } else {
        await create.mutateAsync({
          orgId: v.orgId,
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          password: v.password,
          roles: v.roles,
          email,
          phone,
        });
        void message.success(t('user.created'));
      }
      onClose();
    } catch (e) {
      if (
        !showOnField(form, e, [
          'orgId',
          'username',
          'displayName',
          'password',
          'roles',
          'email',
          'phone',
        ])
      )
        void message.error(errorText(e));
    }
  };

  return (
    <Modal
      open={!!target}
      title={editing ? `${t('user.edit')} · ${editing.username}` : t('user.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || patch.isPending}
      forceRender
      width={560}
    >
      <Form form={form} name="user" layout="vertical" onFinish={submit}>
        {!editing && (
          <>
            <Form.Item
              label={t('user.org')}
              name="orgId"
              rules={[{ required: true, message: t('user.orgRequired') }]}
            >
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
              label={t('user.username')}
              name="username"
              extra={t('user.usernameRule')}
              rules={[
                {
                  required: true,
                  pattern: /^[a-z0-9][a-z0-9._-]{1,62}$/,
                  message: t('user.usernameRule'),
                },
              ]}
            >
              <Input autoComplete="off" maxLength={63} />
            </Form.Item>
          </>
        )}
        <Form.Item
          label={t('user.displayName')}
          name="displayName"
          rules={[{ required: true, whitespace: true, message: t('user.displayNameRequired') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        {!editing && (
          <Form.Item
            label={t('user.password')}
            name="password"
            extra={t('user.passwordRule')}
            rules={[
              { required: true, min: 8, message: t('user.passwordRule') },
              { pattern: /^(?=.*[A-Za-z])(?=.*\d)/, message: t('user.passwordRule') },
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
        )}
        <Form.Item
          label={t('user.roles')}
          name="roles"
          rules={[{ required: true, type: 'array', min: 1, message: t('user.rolesRequired') }]}
        >
          <Select
            mode="multiple"
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={`${t('user.email')} (${t('common.optional')})`}
          name="email"
          rules={[{ type: 'email' }]}
        >
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item label={`${t('user.phone')} (${t('common.optional')})`} name="phone">
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        {editing && (
          <Form.Item label={t('user.enabled')} name="enabled" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
