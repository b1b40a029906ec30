/**
 * Small shared pieces of the sharing pages: status tags, deadline wording, masking and sensitivity
 * tags.
 */
import { Tag, Typography } from 'antd';
import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ChannelStatus, RequestStatus, ShareRequest, Step } from '../../api/sharing';
import { useFormat } from '../../lib/format';

const REQUEST_COLOR: Record<RequestStatus, string> = {
  pending: 'processing',
  approved: 'success',
  refused: 'error',
  withdrawn: 'default',
};
const CHANNEL_COLOR: Record<ChannelStatus, string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  frozen: 'blue',
  expired: 'default',
};
const SENSITIVITY_COLOR: Record<string, string> = {
  public: 'green',
  internal: 'blue',
  sensitive: 'orange',
  personal: 'red',
};

export function RequestStatusTag({
  request,
}: {
  request: Pick<ShareRequest, 'status' | 'overdue'>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={REQUEST_COLOR[request.status] ?? 'default'} data-testid="request-status">
        {t(`sharing.requestStatus.${request.status}`, { defaultValue: request.status })}
      </Tag>
      {request.overdue && request.status === 'pending' && (
        <Tag color="red" icon={<ExclamationCircleOutlined />}>
          {t('sharing.list.overdue')}
        </Tag>
      )}
    </>
  );
}

export function ChannelStatusTag({ status }: { status: ChannelStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CHANNEL_COLOR[status] ?? 'default'} data-testid="channel-status">
      {t(`sharing.channelStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function SensitivityTag({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={SENSITIVITY_COLOR[value] ?? 'default'}>
      {t(`sharing.sensitivity.${value}`, { defaultValue: value })}
    </Tag>
  );
}

export function MaskTag({ rule }: { rule: string | null | undefined }) {
  const { t } = useTranslation();
  const r = rule ?? 'none';
  return (
    <Tag color={r === 'none' ? 'default' : 'purple'}>
      {t(`sharing.mask.${r}`, { defaultValue: r })}
    </Tag>
  );
}

/** "Due 2026-03-05 · 3 working days left" — red when overdue. */
export function Deadline({
  step,
}: {
  step: Pick<Step, 'due' | 'workingDaysLeft' | 'overdue' | 'status'>;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!step.due) return null;
  const left = step.workingDaysLeft;
  const late = step.overdue || (left != null && left < 0);
  const words =
    step.status !== 'pending' || left == null
      ? null
      : late
        ? t('sharing.detail.daysOver', { n: Math.abs(left) || 1 })
        : left === 0
          ? t('sharing.detail.dueToday')
          : t('sharing.detail.daysLeft', { n: left });
  return (
    <Typography.Text type={late ? 'danger' : undefined} data-testid="step-deadline">
      <ClockCircleOutlined aria-hidden />{' '}
      {t('sharing.detail.due', { date: fmt.date(`${step.due}T00:00:00`) })}
      {words && <> · {words}</>}
      {late && (
        <Tag color="red" style={{ marginInlineStart: 8 }}>
          {t('sharing.detail.overdueMark')}
        </Tag>
      )}
    </Typography.Text>
  );
}

/**
 * A channel's status reason as the user reads it (the timers store `expired` and `unused for N
 * days`).
 */
export function useReason() {
  const { t } = useTranslation();
  return (reason: string | null) => {
    if (!reason) return null;
    const unused = /^unused for (\d+) days$/.exec(reason);
    if (unused) return t('sharing.channel.reasonUnused', { days: unused[1] });
    return reason === 'expired' ? t('sharing.channelStatus.expired') : reason;
  };
}
