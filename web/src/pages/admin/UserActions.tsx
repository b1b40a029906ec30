/** Per-user actions shared by the users table and the user page: enable/disable, reset password. */
import { useState } from 'react';
import { App, Button, Popconfirm, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePatchUser, useResetPassword } from '../../api/hooks';
import type { User } from '../../api/types';
import { SecretDialog } from '../../components/SecretDialog';
import { errorText } from '../../components/serverErrors';

export function EnabledSwitch({ user }: { user: User }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const patch = usePatchUser();
  return (
    <Switch
      checked={user.enabled}
      loading={patch.isPending}
      aria-label={t('user.enableLabel', { name: user.username })}
      checkedChildren={t('user.active')}
      unCheckedChildren={t('user.disabled')}
      onChange={(enabled) =>
        patch.mutate(
          { id: user.id, patch: { enabled } },
          { onError: (e) => void message.error(errorText(e)) },
        )
      }
    />
  );
}

export function ResetPasswordButton({
  user,
  type = 'link',
}: {
  user: User;
  type?: 'link' | 'default';
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reset = useResetPassword();
  const [secret, setSecret] = useState<string | null>(null);
  const run = async () => {
    try {
      const r = await reset.mutateAsync(user.id);
      setSecret(r.password ?? '');
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Popconfirm
        title={t('user.resetPassword')}
        description={t('user.resetConfirm', { name: user.displayName })}
        onConfirm={run}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Button type={type} size={type === 'link' ? 'small' : 'middle'} loading={reset.isPending}>
          {t('user.resetPassword')}
        </Button>
      </Popconfirm>
      <SecretDialog
        open={secret !== null}
        title={`${t('user.newPasswordTitle')} · ${user.username}`}
        note={t('user.newPasswordNote')}
        secret={secret ?? ''}
        onClose={() => setSecret(null)}
      />
    </>
  );
}
