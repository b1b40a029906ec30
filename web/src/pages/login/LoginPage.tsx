/**
 * Sign-in: username and password; clear messages for wrong password, lock-out, disabled; back to
 * `next`.
 */
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useFormat } from '../../lib/format';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths, so `next` cannot send the user to another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  // Whatever the previous session cached is not this user's.
  useEffect(() => qc.clear(), [qc]);
  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await api('/auth/login', { method: 'POST', body: values, noAuthRedirect: true });
      qc.clear();
      void navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', String(e)));
    } finally {
      setBusy(false);
    }
  };

  const describe = (e: ApiError): { title: string; detail?: string } => {
    switch (e.code) {
      case 'INVALID_CREDENTIALS': {
        const n = e.details.attemptsLeft;
        return {
          title: t('login.invalid'),
          detail:
            typeof n === 'number' && n > 0 && n < 5 ? t('login.attemptsLeft', { n }) : undefined,
        };
      }
      case 'ACCOUNT_LOCKED': {
        const until = e.details.lockedUntil;
        return {
          title:
            typeof until === 'string'
              ? t('login.locked', { time: fmt.dateTime(until) })
              : t('login.lockedNoTime'),
        };
      }
      case 'ACCOUNT_DISABLED':
        return { title: t('login.disabled') };
      case 'RATE_LIMITED':
        return { title: t('login.rateLimited') };
      default:
        return { title: e.message };
    }
  };
  const shown = error ? describe(error) : null;

  return (
    <main className="gs-login">
      <div className="gs-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="gs-login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 4 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        </div>
        <Typography.Title level={1} style={{ fontSize: 18, marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        {params.get('next') && !error && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('login.expired')}
            data-testid="login-expired"
          />
        )}
        {shown && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            title={shown.title}
            description={shown.detail}
            data-testid="login-error"
            data-code={error?.code}
          />
        )}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false} name="login">
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined aria-hidden />}
              autoComplete="username"
              autoFocus
              size="large"
            />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined aria-hidden />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
