/** Shows a secret (API key, generated password) once, with a copy button; closing forgets it. */
import { Alert, Button, Input, Modal, Space, App } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export interface SecretDialogProps {
  open: boolean;
  title: string;
  note: string;
  secret: string;
  onClose: () => void;
}

export function SecretDialog({ open, title, note, secret, onClose }: SecretDialogProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success(t('common.copied'));
    } catch {
      // Clipboard API needs a secure context; select the text so Ctrl+C works.
      const el = document.getElementById('gs-secret-value') as HTMLInputElement | null;
      el?.select();
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="secret-close">
          {t('common.close')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="warning" showIcon title={note} />
        <Space.Compact style={{ width: '100%' }}>
          <Input
            id="gs-secret-value"
            aria-label={title}
            readOnly
            value={secret}
            className="gs-secret"
            data-testid="secret-value"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Button icon={<CopyOutlined />} onClick={copy} data-testid="secret-copy">
            {t('common.copy')}
          </Button>
        </Space.Compact>
      </Space>
    </Modal>
  );
}
