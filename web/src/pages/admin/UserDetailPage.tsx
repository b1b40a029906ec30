/**
 * One user by URL; another organisation's user answers 404 from the API and shows "not found" here.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Descriptions, Skeleton, Space, Tag } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../api/hooks';
import { LoadError } from '../../components/Results';
import { useFormat } from '../../lib/format';
import { EnabledSwitch, ResetPasswordButton } from './UserActions';
import { UserFormModal, type UserFormTarget } from './UserFormModal';

export function UserDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const user = useUser(id);
  const [target, setTarget] = useState<UserFormTarget | null>(null);
  if (user.isError) return <LoadError error={user.error} />;
  if (!user.data) return <Skeleton active />;
  const u = user.data;

  return (
    <>
      <div className="gs-page-head">
        <Space>
          <Link to="/admin/users" aria-label={t('common.back')}>
            <ArrowLeftOutlined />
          </Link>
          <h1>
            {t('user.detailTitle')} · {u.displayName}
          </h1>
        </Space>
        <Space>
          <Button onClick={() => setTarget({ mode: 'edit', user: u })}>{t('common.edit')}</Button>
          <ResetPasswordButton user={u} type="default" />
        </Space>
      </div>
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="middle" data-testid="user-detail">
          <Descriptions.Item label={t('user.username')}>{u.username}</Descriptions.Item>
          <Descriptions.Item label={t('user.displayName')}>{u.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('user.org')}>{u.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('user.roles')}>
            {u.roles.map((r) => (
              <Tag key={r}>{t(`role.${r}`)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('user.email')}>{u.email ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('user.phone')}>{u.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('user.status')}>
            <Space>
              <EnabledSwitch user={u} />
              {u.locked && <Tag color="red">{t('user.locked')}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('user.lastLoginAt')}>
            {fmt.dateTime(u.lastLoginAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('user.createdAt')}>
            {fmt.dateTime(u.createdAt)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <UserFormModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}
