/**
 * Suspend, resume, revoke or renew a channel (platform, authority, or the provider's data staff).
 */
import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useChangeChannel, type Channel, type ChannelAction } from '../../api/sharing';
import { errorText } from '../../components/serverErrors';

/** Which actions the channel's state allows (the server's transitions). */
const ALLOWED: Record<ChannelAction, string[]> = {
  suspend: ['active'],
  resume: ['suspended'],
  revoke: ['active', 'suspended', 'frozen', 'expired'],
  renew: ['active', 'suspended', 'expired'],
};

export function ChannelActions({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangeChannel();
  const [action, setAction] = useState<ChannelAction | null>(null);
  const [form] = Form.useForm<{ reason?: string; until?: Dayjs }>();

  const run = async (v: { reason?: string; until?: Dayjs }) => {
    if (!action) return;
    try {
      await change.mutateAsync({
        id: channel.id,
        action,
        reason: v.reason?.trim(),
        until: v.until?.format('YYYY-MM-DD'),
      });
      void message.success(t(`sharing.channel.actionDone.${action}`));
      setAction(null);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const open = (a: ChannelAction) => {
    form.resetFields();
    if (a === 'renew')
      form.setFieldsValue({
        until: dayjs(channel.expiresAt).isAfter(dayjs())
          ? dayjs(channel.expiresAt).add(1, 'year')
          : dayjs().add(1, 'year'),
      });
    setAction(a);
  };

  const actions = (Object.keys(ALLOWED) as ChannelAction[]).filter((a) =>
    ALLOWED[a].includes(channel.status),
  );
  if (!actions.length) return null;
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            danger={a === 'revoke'}
            onClick={() => open(a)}
            data-testid={`channel-${a}`}
          >
            {t(`sharing.channel.actions.${a}`)}
          </Button>
        ))}
      </Space>
      <Modal
        open={!!action}
        title={action ? `${t(`sharing.channel.actions.${action}`)} · ${channel.resource.name}` : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText={action ? t(`sharing.channel.actions.${action}`) : undefined}
        okButtonProps={{ danger: action === 'revoke' }}
        confirmLoading={change.isPending}
        forceRender
      >
        {action === 'revoke' && <p>{t('sharing.channel.revokeConfirm')}</p>}
        <Form form={form} name="channel-action" layout="vertical" onFinish={run}>
          {action === 'renew' && (
            <Form.Item
              label={t('sharing.channel.renewUntil')}
              name="until"
              rules={[{ required: true, message: t('sharing.channel.renewUntilRequired') }]}
            >
              <DatePicker disabledDate={(d) => !d.isAfter(dayjs(), 'day')} allowClear={false} />
            </Form.Item>
          )}
          <Form.Item
            label={`${t('sharing.channel.reason')} (${t('common.optional')})`}
            name="reason"
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
