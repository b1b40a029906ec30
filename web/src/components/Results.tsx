import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('error.notFoundTitle')}
      subTitle={t('error.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.home')}</Button>
        </Link>
      }
    />
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('error.forbiddenTitle')}
      subTitle={t('error.forbidden')}
      extra={
        <Link to="/">
          <Button type="primary">{t('error.home')}</Button>
        </Link>
      }
    />
  );
}

/** The right result for a failed load: not found, forbidden, or the server's message. */
export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && (error.status === 404 || error.code === 'VALIDATION_FAILED'))
    return <NotFound />;
  if (error instanceof ApiError && error.status === 403) return <Forbidden />;
  return (
    <Result
      status="error"
      title={t('error.load')}
      subTitle={error instanceof Error ? error.message : String(error)}
    />
  );
}
