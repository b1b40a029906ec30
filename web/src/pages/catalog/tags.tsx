import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Status } from './api';

const COLOR: Record<Status, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  published: 'success',
  retired: 'warning',
};

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOR[status]} data-testid="status-tag">
      {t(`catalog.status.${status}`)}
    </Tag>
  );
}
